/**
 * Error classes with stable codes. Tests assert `code`; messages name the
 * offending thing and the fix.
 */
export class AtriumError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A setting, app or route table is wrong; raised at start-up, never per request. */
export class ImproperlyConfigured extends AtriumError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IMPROPERLY_CONFIGURED', message, options);
  }
}

/**
 * An error that becomes an HTTP response with this status. Views and parsers
 * throw it; the application turns it into a page (debug page when DEBUG).
 */
export class HttpError extends AtriumError {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, options?: { code?: string; headers?: Record<string, string>; cause?: unknown }) {
    super(options?.code ?? `E_HTTP_${status}`, message, options);
    this.status = status;
    this.headers = options?.headers ?? {};
  }
}

/** 400: the request is malformed (bad JSON, too many fields, bad Host header, ...). */
export class BadRequest extends HttpError {
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(400, message, { code: options?.code ?? 'E_BAD_REQUEST', cause: options?.cause });
  }
}

/** 400 raised for a request that looks like an attack (Host header, path tricks). Logged as security. */
export class SuspiciousOperation extends HttpError {
  constructor(message: string, options?: { code?: string }) {
    super(400, message, { code: options?.code ?? 'E_SUSPICIOUS_OPERATION' });
  }
}

/** 403. */
export class PermissionDenied extends HttpError {
  constructor(message = 'Permission denied', options?: { code?: string }) {
    super(403, message, { code: options?.code ?? 'E_PERMISSION_DENIED' });
  }
}

/** 404. `tried` lists the route patterns the router tried, shown on the DEBUG page. */
export class Http404 extends HttpError {
  readonly tried: readonly string[];
  constructor(message = 'Not found', options?: { tried?: readonly string[] }) {
    super(404, message, { code: 'E_NOT_FOUND' });
    this.tried = options?.tried ?? [];
  }
}

/** 405 with the `Allow` header. */
export class MethodNotAllowed extends HttpError {
  readonly allowed: readonly string[];
  constructor(method: string, allowed: readonly string[]) {
    super(405, `Method ${method} is not allowed here; allowed: ${allowed.join(', ')}`, {
      code: 'E_METHOD_NOT_ALLOWED',
      headers: { allow: allowed.join(', ') },
    });
    this.allowed = allowed;
  }
}

/** 413: body over DATA_UPLOAD_MAX_MEMORY_SIZE (or a file over FILE_UPLOAD_MAX_SIZE). */
export class PayloadTooLarge extends HttpError {
  constructor(message: string) {
    super(413, message, { code: 'E_PAYLOAD_TOO_LARGE' });
  }
}

/** 415: a body whose Content-Type no parser accepts. */
export class UnsupportedMediaType extends HttpError {
  constructor(message: string) {
    super(415, message, { code: 'E_UNSUPPORTED_MEDIA_TYPE' });
  }
}

/** `reverse()` could not build a URL: unknown name, missing or invalid parameter. */
export class NoReverseMatch extends AtriumError {
  constructor(message: string) {
    super('E_NO_REVERSE_MATCH', message);
  }
}

/** A signed value was tampered with, signed with another key/salt, or expired. */
export class BadSignature extends AtriumError {
  constructor(message = 'Signature does not match', code = 'E_BAD_SIGNATURE') {
    super(code, message);
  }
}

export class SignatureExpired extends BadSignature {
  constructor(message: string) {
    super(message, 'E_SIGNATURE_EXPIRED');
  }
}

/** A cache key no backend can store (too long, control characters) or that is not a non-empty string or an integer. */
export class InvalidCacheKey extends AtriumError {
  constructor(message: string) {
    super('E_CACHE_KEY_INVALID', message);
  }
}

/** incr/decr/incrVersion on a key the cache does not hold. */
export class CacheKeyMissing extends AtriumError {
  readonly key: string | number;
  constructor(key: string | number) {
    super('E_CACHE_KEY_MISSING', `Cache key '${key}' is not in the cache; set it before incrementing it (or use getOrSet/add to create it).`);
    this.key = key;
  }
}

/** A value the cache cannot store or increment (undefined, a function, a non-integer counter). */
export class CacheValueError extends AtriumError {
  constructor(message: string) {
    super('E_CACHE_VALUE', message);
  }
}

/**
 * 503: the cache server cannot be reached. The Cache API turns it into a
 * miss (get) or `false` (set) with a logged warning; only operations without
 * a meaningful miss (incr, decr, incrVersion) raise it, so a view never 500s.
 */
export class CacheUnavailable extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, message, { code: 'E_CACHE_UNAVAILABLE', cause: options?.cause });
  }
}

/** A WebSocket consumer or channel layer was misused (an invalid group name or message, a closed layer). */
export class RealtimeError extends AtriumError {}
