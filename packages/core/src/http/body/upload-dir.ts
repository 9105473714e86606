import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The private temp folder of one request's uploads, created on the first file
 * (mkdtemp: unpredictable name, mode 0700) and removed whole afterwards.
 * Files inside get our own names (`upload-1`, ...), never the client's.
 */
export class UploadDir {
  readonly #parent: string;
  #dir: Promise<string> | null = null;
  #count = 0;
  #removed = false;

  constructor(parent: string | null) {
    this.#parent = parent ?? tmpdir();
  }

  /** A fresh path for the next file. Throws once `remove()` has run, so nothing is created after cleanup. */
  async nextPath(): Promise<string> {
    if (this.#removed) throw new Error('The upload temp folder was already removed; the request has finished');
    this.#dir ??= mkdtemp(join(this.#parent, 'atrium-upload-'));
    const dir = await this.#dir;
    return join(dir, `upload-${++this.#count}`);
  }

  /** Delete the folder and every file still in it. Safe to call twice, and before any file. */
  async remove(): Promise<void> {
    this.#removed = true;
    // Wait for a mkdtemp still in flight, so its folder cannot appear after we looked.
    const dir = await this.#dir?.catch(() => null);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
