import { createReadStream, type ReadStream } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, unlink, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface UploadedFileInit {
  field: string;
  /** As the client sent it; sanitised here. */
  filename: string;
  contentType: string;
  size: number;
  path: string;
}

export interface MoveOptions {
  /** Replace an existing file at `dest` (default false: fail with EEXIST). */
  overwrite?: boolean;
}

/**
 * A file from a multipart upload, already streamed to a temp file. The temp
 * file is removed after the response unless it was moved with `moveTo()`.
 *
 * `filename` is the client's name reduced to a safe basename; still never
 * trust it to pick a storage path on its own (two users may both send
 * `photo.jpg`).
 */
export class UploadedFile {
  readonly field: string;
  readonly filename: string;
  /** The part's Content-Type as the client declared it: a hint, not proof. */
  readonly contentType: string;
  /** Bytes. */
  readonly size: number;
  #path: string;

  constructor(init: UploadedFileInit) {
    this.field = init.field;
    this.filename = sanitizeFilename(init.filename);
    this.contentType = init.contentType;
    this.size = init.size;
    this.#path = init.path;
  }

  /** Where the bytes are now: the temp file, or the destination after `moveTo()`. */
  get path(): string {
    return this.#path;
  }

  /**
   * The whole file in memory; use `stream()` for large files.
   * @example const bytes = await file.read();
   */
  read(): Promise<Buffer> {
    return readFile(this.#path);
  }

  /**
   * A read stream of the file.
   * @example await pipeline(file.stream(), createHash('sha256'));
   */
  stream(): ReadStream {
    return createReadStream(this.#path);
  }

  /**
   * Move the file to `dest` (parent folders created), so the temp-file cleanup
   * no longer touches it. Refuses to replace an existing file unless
   * `overwrite` is set; works across file systems by copying.
   * @example await file.moveTo(join(MEDIA_ROOT, 'avatars', `${user.id}.png`));
   */
  async moveTo(dest: string, options: MoveOptions = {}): Promise<void> {
    const target = resolve(dest);
    await mkdir(dirname(target), { recursive: true });
    if (options.overwrite) {
      await rename(this.#path, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyFile(this.#path, target);
      });
    } else {
      // link() fails with EEXIST instead of silently replacing, as rename() would.
      await link(this.#path, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV' && error.code !== 'EPERM' && error.code !== 'ENOTSUP') throw error;
        await copyFile(this.#path, target, constants.COPYFILE_EXCL);
      });
    }
    await unlink(this.#path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    this.#path = target;
  }
}

const MAX_FILENAME_LENGTH = 255;

/**
 * Reduce a client-sent filename to a plain basename: no folders (`/` or `\`),
 * no control characters, not `.` or `..`, at most 255 characters with the
 * extension kept. Returns '' when nothing usable is left.
 * @example sanitizeFilename('..\\..\\etc/passwd') // 'passwd'
 */
export function sanitizeFilename(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const clean = base.replace(/[\x00-\x1f\x7f]/g, '').trim();
  if (clean === '.' || clean === '..') return '';
  if (clean.length <= MAX_FILENAME_LENGTH) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
  // Drop a high surrogate left alone by the cut, so the name stays valid UTF-16.
  return clean.slice(0, MAX_FILENAME_LENGTH - ext.length).replace(/[\uD800-\uDBFF]$/, '') + ext;
}
