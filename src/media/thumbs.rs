//! Thumbnails: JPEG, longest side 256 or 1024 px (never enlarged), resized with
//! fast_image_resize (SIMD convolution).

use fast_image_resize::images::{Image, ImageRef as FirImage};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, GrayImage, RgbImage};

use super::process::{encode_jpeg_q, flatten};
use super::ImageError;

/// JPEG quality of thumbnails: they are previews, not the figure.
pub const THUMB_QUALITY: u8 = 85;

/// The size that fits `max` on the longest side, keeping the aspect ratio.
pub fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    if width <= max && height <= max {
        return (width.max(1), height.max(1));
    }
    if width >= height {
        (max, ((height as u64 * max as u64 + width as u64 / 2) / width as u64).max(1) as u32)
    } else {
        (((width as u64 * max as u64 + height as u64 / 2) / height as u64).max(1) as u32, max)
    }
}

/// Grey or RGB pixels, ready to resize.
enum Plain<'a> {
    Grey(std::borrow::Cow<'a, GrayImage>),
    Rgb(std::borrow::Cow<'a, RgbImage>),
}

fn plain(img: &DynamicImage) -> Plain<'_> {
    use std::borrow::Cow;
    match img {
        DynamicImage::ImageLuma8(g) => Plain::Grey(Cow::Borrowed(g)),
        DynamicImage::ImageRgb8(rgb) => Plain::Rgb(Cow::Borrowed(rgb)),
        DynamicImage::ImageLuma16(_) => Plain::Grey(Cow::Owned(img.to_luma8())),
        other => Plain::Rgb(Cow::Owned(flatten(other))),
    }
}

/// Resizes to fit `max` (or keeps the size) and returns the pixels.
pub fn shrink(img: &DynamicImage, max: u32) -> Result<DynamicImage, ImageError> {
    let (w, h) = fit(img.width(), img.height(), max);
    resize_to(img, w, h)
}

/// Resizes to exactly `w` × `h` (grey stays grey; anything else becomes RGB, alpha on white).
fn resize_to(img: &DynamicImage, w: u32, h: u32) -> Result<DynamicImage, ImageError> {
    let resize_err = |e: String| ImageError::Encode(format!("cannot make a thumbnail: {e}"));
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Hamming));
    let mut resizer = Resizer::new();
    match plain(img) {
        Plain::Grey(g) => {
            if (w, h) == g.dimensions() {
                return Ok(DynamicImage::ImageLuma8(g.into_owned()));
            }
            let src = FirImage::new(g.width(), g.height(), g.as_raw(), PixelType::U8)
                .map_err(|e| resize_err(e.to_string()))?;
            let mut dst = Image::new(w, h, PixelType::U8);
            resizer.resize(&src, &mut dst, &options).map_err(|e| resize_err(e.to_string()))?;
            let out = GrayImage::from_raw(w, h, dst.into_vec()).ok_or_else(|| resize_err("buffer size".into()))?;
            Ok(DynamicImage::ImageLuma8(out))
        }
        Plain::Rgb(rgb) => {
            if (w, h) == rgb.dimensions() {
                return Ok(DynamicImage::ImageRgb8(rgb.into_owned()));
            }
            let src = FirImage::new(rgb.width(), rgb.height(), rgb.as_raw(), PixelType::U8x3)
                .map_err(|e| resize_err(e.to_string()))?;
            let mut dst = Image::new(w, h, PixelType::U8x3);
            resizer.resize(&src, &mut dst, &options).map_err(|e| resize_err(e.to_string()))?;
            let out = RgbImage::from_raw(w, h, dst.into_vec()).ok_or_else(|| resize_err("buffer size".into()))?;
            Ok(DynamicImage::ImageRgb8(out))
        }
    }
}

/// Both thumbnails as JPEG bytes, largest first; the small one is made from the large one
/// (quicker) at the size that fits the original.
pub fn make_all(img: &DynamicImage) -> Result<[(u32, Vec<u8>); 2], ImageError> {
    let large = shrink(img, 1024)?;
    let (w, h) = fit(img.width(), img.height(), 256);
    let small = resize_to(&large, w, h)?;
    Ok([(1024, encode_jpeg_q(&large, None, THUMB_QUALITY)?), (256, encode_jpeg_q(&small, None, THUMB_QUALITY)?)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_longest_side() {
        assert_eq!(fit(4000, 3000, 1024), (1024, 768));
        assert_eq!(fit(3000, 4000, 256), (192, 256));
        assert_eq!(fit(100, 50, 256), (100, 50));
        assert_eq!(fit(10000, 1, 256), (256, 1));
    }

    #[test]
    fn thumbnails_decode_at_their_size() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(1500, 600, image::Rgba([10, 200, 30, 255])));
        let [(l, large), (s, small)] = make_all(&img).unwrap();
        assert_eq!((l, s), (1024, 256));
        let large = image::load_from_memory(&large).unwrap();
        let small = image::load_from_memory(&small).unwrap();
        assert_eq!((large.width(), large.height()), (1024, 410));
        assert_eq!((small.width(), small.height()), (256, 102));
        let p = small.to_rgb8().get_pixel(100, 50).0;
        assert!(p[1] > 180 && p[0] < 40, "{p:?}");
    }
}
