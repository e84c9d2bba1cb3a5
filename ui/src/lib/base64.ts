// A blob's bytes as base64, for the one command that takes bytes from the page (a pasted image):
// commands take JSON, and a base64 string is a third larger, where a JSON array of numbers would be
// four times larger and far slower to parse.

/** The bytes of `blob` as standard base64 (no `data:` prefix). */
export async function base64Of(blob: Pick<Blob, 'arrayBuffer'>): Promise<string> {
  if (typeof FileReader !== 'undefined' && blob instanceof Blob) {
    // The browser's own encoder: native speed, no copy of the bytes as a string of characters.
    const url = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
      reader.onerror = () => reject(reader.error ?? new Error('the pasted image could not be read'));
      reader.readAsDataURL(blob);
    });
    return url.slice(url.indexOf(',') + 1);
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
