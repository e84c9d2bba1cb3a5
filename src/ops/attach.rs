//! Image files onto a report: read each under the image limit, then attach all or none.

use std::path::PathBuf;

use serde::Serialize;
use uuid::Uuid;

use crate::media::{self, AttachOptions, Attached, Input, MediaError};
use crate::model::StoredReport;
use crate::store::Store;

/// Reads the image files (each refused over [`media::MAX_FILE_BYTES`] without reading it all)
/// and attaches them to the report edited at revision `base`: all of them or none.
pub fn files(
    store: &mut Store,
    id: Uuid,
    base: u32,
    paths: &[PathBuf],
    options: &AttachOptions,
) -> Result<Attached, MediaError> {
    let inputs = paths.iter().map(|p| Input::read(p)).collect::<Result<Vec<_>, _>>()?;
    media::attach(store, id, base, &inputs, options)
}

/// One image's bytes (a paste) attached to the report edited at revision `base`.
pub fn bytes(
    store: &mut Store,
    id: Uuid,
    base: u32,
    bytes: Vec<u8>,
    figure: Option<usize>,
) -> Result<Attached, MediaError> {
    if bytes.len() as u64 > media::MAX_FILE_BYTES {
        let size = bytes.len() as u64;
        return Err(MediaError::Image { path: PASTED.into(), source: media::ImageError::FileTooLarge { size } });
    }
    let input = Input { name: PASTED.into(), bytes };
    media::attach(store, id, base, &[input], &AttachOptions { caption: None, figure })
}

/// How a pasted image is named in messages.
const PASTED: &str = "pasted image";

/// The outcome of an attach as the app shows it: the saved report and the figures it gained.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttachOutcome {
    pub report: StoredReport,
    /// 1-based numbers of the new (or filled) figures.
    pub figures: Vec<u32>,
}

impl From<Attached> for AttachOutcome {
    fn from(attached: Attached) -> Self {
        AttachOutcome { figures: attached.figures.iter().map(|f| f.figure as u32).collect(), report: attached.report }
    }
}
