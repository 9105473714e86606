import { UploadedFile } from '@atrium/core';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { ClearableFileInput, FILE_CLEARED, FILE_CONTRADICTION } from '../widgets/file-input.js';
import type { Widget } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { detectImageFormat } from './image-format.js';

export interface FileFieldOptions<T> extends FormFieldOptions<T> {
  /** Largest accepted size in bytes (FILE_UPLOAD_MAX_SIZE already bounds every upload). */
  maxSize?: number;
  /** Accepted extensions, lower case without the dot: ['pdf', 'txt']. */
  allowedExtensions?: readonly string[];
}

/**
 * An uploaded file (core's UploadedFile, from a multipart body). An
 * optional field gives null when nothing was uploaded and false when its
 * "clear" box was checked; so an edit form declares its file field
 * `required: false` and treats null as "keep the current file".
 * @example fields.file({ maxSize: 5_000_000, allowedExtensions: ['pdf'] })
 */
export class FileField<T extends UploadedFile | null | false = UploadedFile> extends FormField<T> {
  readonly maxSize: number | undefined;
  readonly allowedExtensions: readonly string[] | undefined;

  constructor(options: FileFieldOptions<T> = {}) {
    super(options);
    this.maxSize = options.maxSize;
    this.allowedExtensions = options.allowedExtensions?.map((ext) => ext.replace(/^\./, '').toLowerCase());
  }

  protected defaultWidget(): Widget {
    return new ClearableFileInput();
  }

  protected toValue(raw: unknown): T | Empty {
    if (raw === FILE_CONTRADICTION) throw new ValidationError({ code: 'contradiction' });
    if (raw === FILE_CLEARED) {
      if (this.required) throw new ValidationError({ code: 'required' });
      return false as T;
    }
    if (raw === undefined || raw === null || raw === '') return EMPTY;
    // A JSON value, or a text field sent under a file field's name: not a file.
    if (!(raw instanceof UploadedFile)) throw new ValidationError({ code: 'missing_file' });
    return raw as T;
  }

  protected buildSchema(): z.ZodType {
    return z.unknown().superRefine(async (value, ctx) => {
      if (!(value instanceof UploadedFile)) return;
      for (const issue of await this.checkFile(value)) ctx.addIssue({ code: 'custom', input: value, params: issue });
    });
  }

  /** Issues of an uploaded file: name, size, extension (and format, for images). */
  protected async checkFile(file: UploadedFile): Promise<Array<Record<string, string | number>>> {
    if (file.filename === '') return [{ code: 'invalid_filename' }];
    if (file.size === 0) return [{ code: 'empty_file' }];
    const issues: Array<Record<string, string | number>> = [];
    if (this.maxSize !== undefined && file.size > this.maxSize) issues.push({ code: 'file_too_large', max: this.maxSize, size: file.size });
    if (this.allowedExtensions) {
      const dot = file.filename.lastIndexOf('.');
      const extension = dot === -1 ? '' : file.filename.slice(dot + 1).toLowerCase();
      if (!this.allowedExtensions.includes(extension)) issues.push({ code: 'invalid_extension', extension, allowed: this.allowedExtensions.join(', ') });
    }
    return issues;
  }

  protected emptyValue(): T {
    return null as T;
  }

  /** The current file's name (an UploadedFile's filename, or a stored path) for the "Currently:" line. */
  override formatValue(value: unknown): string | null {
    if (value instanceof UploadedFile) return value.filename;
    return typeof value === 'string' && value !== '' ? value : null;
  }

  /** Browsers never send a file back: a bound form still shows the current (initial) file. */
  override boundData(raw: unknown, initial: unknown): unknown {
    return raw instanceof UploadedFile ? raw : initial;
  }

  override hasChanged(_initial: unknown, raw: unknown): boolean {
    return raw !== undefined && raw !== null && raw !== '';
  }
}

/**
 * An uploaded image: PNG, JPEG, GIF or WebP, recognised by its magic bytes
 * (the client's Content-Type and extension are not trusted).
 * @example fields.image({ maxSize: 2_000_000 })
 */
export class ImageField<T extends UploadedFile | null | false = UploadedFile> extends FileField<T> {
  protected override async checkFile(file: UploadedFile): Promise<Array<Record<string, string | number>>> {
    const issues = await super.checkFile(file);
    if (issues.some((issue) => issue['code'] === 'invalid_filename' || issue['code'] === 'empty_file')) return issues;
    const format = await detectImageFormat(file.path).catch(() => null);
    if (format === null) issues.push({ code: 'invalid_image' });
    return issues;
  }
}
