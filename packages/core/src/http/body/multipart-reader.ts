import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { BadRequest, HttpError, PayloadTooLarge } from '../../errors.js';
import { QueryDict } from '../query-dict.js';
import { UploadedFile, sanitizeFilename } from '../uploaded-file.js';
import type { BodyLimits } from './body-limits.js';
import { assertLengthMatches } from './content-length.js';
import type { FormData } from './form-data.js';
import { requestAborted } from './request-aborted.js';
import { tooManyFields } from './urlencoded-body.js';
import type { UploadDir } from './upload-dir.js';

const ignore = (): void => {};

/**
 * One multipart/form-data body fed through busboy: fields into a QueryDict,
 * each file streamed to a temp file. It always settles: on any error (a
 * limit, a malformed body, a client abort, a disk error) it stops reading,
 * waits for the open temp files to close, removes them, then rejects.
 */
export class MultipartReader {
  readonly #limits: BodyLimits;
  readonly #uploads: UploadDir;
  readonly #parser: busboy.Busboy;
  readonly #fields = new QueryDict();
  /** In arrival order; each settles to null when the file was dropped. Never rejects. */
  readonly #files: Array<Promise<UploadedFile | null>> = [];
  #fieldBytes = 0;
  #failed = false;
  #resolve: (form: FormData) => void = ignore;
  #reject: (error: Error) => void = ignore;

  constructor(boundary: string, limits: BodyLimits, uploads: UploadDir) {
    this.#limits = limits;
    this.#uploads = uploads;
    // Hand busboy the boundary we validated, re-quoted, so it cannot read the raw header differently.
    this.#parser = busboy({
      headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` },
      defParamCharset: 'utf8',
      limits: {
        // busboy reports `fields`/`files` on the first one past the limit, but `parts`,
        // `fieldSize` and `fileSize` on reaching it: one more there keeps the maximum itself allowed.
        fields: limits.maxFields,
        files: limits.maxFiles,
        parts: limits.maxFields + limits.maxFiles + 1,
        fieldSize: limits.maxMemorySize + 1,
        fileSize: limits.maxFileSize + 1,
      },
    });
  }

  /** Parse `body`; `declared` is the Content-Length, checked against the bytes received. */
  read(body: AsyncIterable<Uint8Array>, declared: number | undefined): Promise<FormData> {
    return new Promise<FormData>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const parser = this.#parser;
      parser.on('field', (name, value, info) => this.#onField(name, value, info.valueTruncated));
      parser.on('file', (name, stream, info) => this.#onFile(name, stream, info));
      parser.on('fieldsLimit', () => this.#fail(tooManyFields(this.#limits.maxFields)));
      parser.on('filesLimit', () => this.#fail(tooMany('files', this.#limits.maxFiles, 'DATA_UPLOAD_MAX_NUMBER_FILES')));
      parser.on('partsLimit', () =>
        this.#fail(tooMany('parts', this.#limits.maxFields + this.#limits.maxFiles, 'DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_NUMBER_FILES')),
      );
      parser.on('error', (error) => this.#fail(malformed(error)));
      parser.on('close', () => void this.#finish());
      this.#pump(body, declared).catch((error: unknown) => this.#fail(error instanceof HttpError ? error : requestAborted(error)));
    });
  }

  async #pump(body: AsyncIterable<Uint8Array>, declared: number | undefined): Promise<void> {
    // Pull by hand: see read-body.ts for why the iterator's return() is never called.
    const iterator = body[Symbol.asyncIterator]();
    let received = 0;
    for (;;) {
      const next = await iterator.next();
      if (this.#failed) return;
      if (next.done) break;
      received += next.value.byteLength;
      if (declared !== undefined && received > declared) assertLengthMatches(declared, received);
      if (!this.#parser.write(next.value)) await drained(this.#parser);
      if (this.#failed) return;
    }
    assertLengthMatches(declared, received);
    this.#parser.end();
  }

  #onField(name: string | undefined, value: string, truncated: boolean): void {
    if (this.#failed || typeof name !== 'string') return;
    this.#fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (truncated || this.#fieldBytes > this.#limits.maxMemorySize) {
      this.#fail(
        new PayloadTooLarge(
          `The form fields are over DATA_UPLOAD_MAX_MEMORY_SIZE (${this.#limits.maxMemorySize} bytes); send less data or raise the setting`,
        ),
      );
      return;
    }
    this.#fields.append(name, value);
  }

  #onFile(name: string | undefined, stream: Readable, info: busboy.FileInfo): void {
    // Errors reach us through pipeline(); this listener only keeps one emitted
    // before pipeline() is attached from becoming an uncaught 'error' event.
    stream.on('error', ignore);
    const filename = sanitizeFilename(info.filename ?? '');
    // Skip a part without a usable filename, as Django does: a browser sends
    // `filename=""` for an <input type=file> left empty.
    if (this.#failed || typeof name !== 'string' || filename === '') {
      stream.resume();
      return;
    }
    stream.once('limit', () => this.#fail(fileTooLarge(name, filename, this.#limits.maxFileSize)));
    this.#files.push(this.#save(name, filename, info.mimeType, stream));
  }

  async #save(field: string, filename: string, contentType: string, stream: Readable): Promise<UploadedFile | null> {
    try {
      const path = await this.#uploads.nextPath();
      if (this.#failed) {
        stream.resume();
        return null;
      }
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      try {
        await pipeline(stream, out);
      } finally {
        // Cleanup must not race a file descriptor still open on the temp file.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      }
      return new UploadedFile({ field, filename, contentType, size: out.bytesWritten, path });
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return null;
    }
  }

  async #finish(): Promise<void> {
    if (this.#failed) return;
    const saved = await Promise.all(this.#files);
    if (this.#failed) return;
    const files = new Map<string, UploadedFile[]>();
    for (const file of saved) {
      if (file === null) continue;
      const list = files.get(file.field);
      if (list) list.push(file);
      else files.set(file.field, [file]);
    }
    this.#resolve({ fields: this.#fields, files });
  }

  /** Stop everything, remove the temp files, then reject with the first error. */
  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#parser.destroy();
    const reject = (): void => this.#reject(error);
    void Promise.all(this.#files)
      .then(() => this.#uploads.remove())
      .then(reject, reject);
  }
}

/** Resolve when busboy wants more input again, or has closed. */
function drained(parser: busboy.Busboy): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
  });
}

function tooMany(what: string, max: number, setting: string): BadRequest {
  return new BadRequest(`Invalid form: too many ${what} (more than ${max}); send fewer or raise ${setting}`, {
    code: `E_TOO_MANY_${what.toUpperCase()}`,
  });
}

function fileTooLarge(field: string, filename: string, max: number): PayloadTooLarge {
  return new PayloadTooLarge(
    `Uploaded file ${JSON.stringify(filename)} in field ${JSON.stringify(field)} is larger than FILE_UPLOAD_MAX_SIZE (${max} bytes); send a smaller file or raise the setting`,
  );
}

function malformed(error: unknown): BadRequest {
  const detail = error instanceof Error ? error.message : String(error);
  return new BadRequest(`Malformed multipart body: ${detail}`, { code: 'E_MALFORMED_MULTIPART', cause: error });
}
