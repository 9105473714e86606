import { lowerHeaderName } from './header-name.js';

/**
 * Response headers: lower-cased names in a plain store object, so that the
 * node adapter can hand them to `writeHead` without copying.
 */
export type HeaderValue = string | string[];

/**
 * Make the store for `ResponseHeaders.raw`: an object whose prototype chain
 * holds no properties at all. Unlike `Object.create(null)`, which V8 keeps in
 * slow dictionary mode (each set and each `writeHead` walk costs 2-3x more),
 * objects made by `new` stay in fast mode. Unlike `{}`, nothing is inherited:
 * `constructor`, `toString` and `__proto__` are ordinary keys (`__proto__` has
 * no special setter here, so it can never swap the prototype), `name in raw`
 * is true only for headers that were set, and a polluted `Object.prototype`
 * cannot leak into a response.
 */
const HeaderStore = function HeaderStore() {} as unknown as new () => Record<string, HeaderValue>;
HeaderStore.prototype = Object.create(null) as Record<string, HeaderValue>;

export class ResponseHeaders {
  /**
   * Lower-cased name -> value. Read directly by server adapters. It inherits
   * nothing, so `raw[name] === undefined` means "not set" for every name.
   */
  readonly raw: Record<string, HeaderValue> = new HeaderStore();

  constructor(init?: Record<string, HeaderValue | number | undefined>) {
    // Own keys only: an inherited (polluted) property is not a header the caller set.
    if (init) for (const name of Object.keys(init)) {
      const v = init[name];
      if (v === undefined) continue;
      if (typeof v === 'number') {
        this.raw[lowerHeaderName(name)] = String(v);
        continue;
      }
      if (Array.isArray(v)) for (const item of v) assertHeaderValue(name, item);
      else assertHeaderValue(name, v);
      this.raw[lowerHeaderName(name)] = v;
    }
  }

  get(name: string): string | undefined {
    const v = this.raw[lowerHeaderName(name)];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return this.raw[lowerHeaderName(name)] !== undefined;
  }

  set(name: string, value: string | number): this {
    const text = typeof value === 'string' ? value : String(value);
    assertHeaderValue(name, text);
    this.raw[lowerHeaderName(name)] = text;
    return this;
  }

  /** Add a value, keeping earlier ones (Set-Cookie, Vary). */
  append(name: string, value: string): this {
    assertHeaderValue(name, value);
    const key = lowerHeaderName(name);
    const prev = this.raw[key];
    if (prev === undefined) this.raw[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else this.raw[key] = [prev, value];
    return this;
  }

  /** Set only if absent (middleware defaults must not override a view's choice). */
  setDefault(name: string, value: string): this {
    const key = lowerHeaderName(name);
    if (this.raw[key] === undefined) {
      assertHeaderValue(name, value);
      this.raw[key] = value;
    }
    return this;
  }

  delete(name: string): this {
    delete this.raw[lowerHeaderName(name)];
    return this;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) {
      const v = this.raw[name]!;
      if (Array.isArray(v)) for (const item of v) yield [name, item];
      else yield [name, v];
    }
  }
}

/** Refuse CR/LF in header values: header injection is never legitimate. */
function assertHeaderValue(name: string, value: string): void {
  // Two indexOf scans: cheaper per call than a RegExp test, and this runs on every set().
  const text = typeof value === 'string' ? value : String(value);
  if (text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1) {
    throw new TypeError(`Header ${name} contains a line break; header values must be one line`);
  }
}
