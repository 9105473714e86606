import { open } from 'node:fs/promises';

/** Image formats recognised from their first bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

const HEADER_BYTES = 12;

/**
 * The image format of a file, from its magic bytes (no image library, no
 * native code): PNG, JPEG, GIF87a/89a or WebP (RIFF....WEBP); null otherwise.
 * This proves the file starts like an image, not that the rest is well formed.
 * @example await detectImageFormat(upload.path) // 'png'
 */
export async function detectImageFormat(path: string): Promise<ImageFormat | null> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    return imageFormatOf(header.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The image format of the first bytes of a file, or null. */
export function imageFormatOf(header: Uint8Array): ImageFormat | null {
  const bytes = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && ['GIF87a', 'GIF89a'].includes(bytes.subarray(0, 6).toString('latin1'))) return 'gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}
