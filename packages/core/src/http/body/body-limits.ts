import type { HttpRequest } from '../request.js';

const MiB = 1024 * 1024;

/** The DATA_UPLOAD_* and FILE_UPLOAD_* settings that bound what a request body may cost. */
export interface BodyLimits {
  /** Bytes of in-memory body (raw body, JSON, urlencoded, non-file multipart fields). */
  readonly maxMemorySize: number;
  readonly maxFields: number;
  readonly maxFiles: number;
  /** Bytes of one uploaded file. */
  readonly maxFileSize: number;
  /** Parent folder of upload temp folders; null for the OS temp dir. */
  readonly tempDir: string | null;
}

/**
 * The limits for this request, from `request.app.settings`. A request built
 * outside an application (a unit test, a script) gets the documented
 * defaults rather than no limits at all.
 */
export function bodyLimits(request: HttpRequest): BodyLimits {
  // `app` is assigned by the application before dispatch; it may be missing outside one.
  const settings = (request as { app?: HttpRequest['app'] }).app?.settings;
  return {
    maxMemorySize: settings?.DATA_UPLOAD_MAX_MEMORY_SIZE ?? Math.floor(2.5 * MiB),
    maxFields: settings?.DATA_UPLOAD_MAX_NUMBER_FIELDS ?? 1000,
    maxFiles: settings?.DATA_UPLOAD_MAX_NUMBER_FILES ?? 100,
    maxFileSize: settings?.FILE_UPLOAD_MAX_SIZE ?? 100 * MiB,
    tempDir: settings?.FILE_UPLOAD_TEMP_DIR ?? null,
  };
}
