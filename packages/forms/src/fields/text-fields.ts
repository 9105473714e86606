import { z } from 'zod';
import { EmailInput, HiddenInput, PasswordInput, UrlInput } from '../widgets/input.js';
import { Textarea } from '../widgets/textarea.js';
import type { Widget } from '../widgets/widget.js';
import { CharField, type CharFieldOptions } from './char-field.js';

// Linear-time patterns only: these run on untrusted input (the ORM's EmailField uses the same).
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const SLUG = /^[-a-zA-Z0-9_]+$/;
const MAX_URL_LENGTH = 2048;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Multi-line text (`<textarea>`). */
export class TextField<T extends string | null = string> extends CharField<T> {
  protected override defaultWidget(): Widget {
    return new Textarea();
  }
}

/** An e-mail address; at most 254 characters (RFC 5321). */
export class EmailField<T extends string | null = string> extends CharField<T> {
  constructor(options: CharFieldOptions<T> = {}) {
    super({ maxLength: 254, ...options });
  }
  protected override defaultWidget(): Widget {
    return new EmailInput();
  }
  protected override buildSchema(): z.ZodType {
    // Over-long values are reported by max_length alone; the pattern is bounded anyway.
    return super.buildSchema().refine((value) => typeof value === 'string' && (value.length > 254 || EMAIL.test(value)), { params: { code: 'invalid_email' } });
  }
}

export interface UrlFieldOptions<T> extends CharFieldOptions<T> {
  /** Scheme added to a value typed without one ('example.com'); default 'https'. */
  assumeScheme?: 'http' | 'https';
}

/** An http(s) URL; 'example.com' becomes 'https://example.com'. */
export class UrlField<T extends string | null = string> extends CharField<T> {
  readonly assumeScheme: 'http' | 'https';
  constructor(options: UrlFieldOptions<T> = {}) {
    super(options);
    this.assumeScheme = options.assumeScheme ?? 'https';
  }
  protected override defaultWidget(): Widget {
    return new UrlInput();
  }
  protected override normalize(value: string): string {
    return HAS_SCHEME.test(value) || value.length > MAX_URL_LENGTH ? value : `${this.assumeScheme}://${value}`;
  }
  protected override buildSchema(): z.ZodType {
    return super.buildSchema().refine((value) => typeof value === 'string' && isHttpUrl(value), { params: { code: 'invalid_url' } });
  }
}

function isHttpUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Letters, digits, hyphens and underscores. */
export class SlugField<T extends string | null = string> extends CharField<T> {
  protected override buildSchema(): z.ZodType {
    return super.buildSchema().refine((value) => typeof value === 'string' && SLUG.test(value), { params: { code: 'invalid_slug' } });
  }
}

/** A hidden input carrying text. */
export class HiddenField<T extends string | null = string> extends CharField<T> {
  protected override defaultWidget(): Widget {
    return new HiddenInput();
  }
}

/** A password box: not trimmed, never rendered back. */
export class PasswordField<T extends string | null = string> extends CharField<T> {
  constructor(options: CharFieldOptions<T> = {}) {
    super({ strip: false, ...options });
  }
  protected override defaultWidget(): Widget {
    return new PasswordInput();
  }
}
