import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploadedFile } from '@atrium/core';

const dir = mkdtempSync(join(tmpdir(), 'atrium-forms-test-'));
let counter = 0;

/** An UploadedFile backed by a real temp file with `content`. */
export function upload(filename: string, content: Uint8Array | string, contentType = 'application/octet-stream'): UploadedFile {
  const path = join(dir, `upload-${++counter}`);
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  writeFileSync(path, bytes);
  return new UploadedFile({ field: 'x', filename, contentType, size: bytes.length, path });
}

export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
export const JPEG_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const GIF_BYTES = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
export const WEBP_BYTES = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
