/**
 * Response headers: lower-cased names in a null-prototype object, so that the
 * node adapter can hand them to `writeHead` without copying.
 */
export type HeaderValue = string | string[];

export class ResponseHeaders {
  /** Lower-cased name -> value. Read directly by server adapters. */
  readonly raw: Record<string, HeaderValue> = Object.create(null);

  constructor(init?: Record<string, HeaderValue | number | undefined>) {
    if (init) for (const name in init) {
      const v = init[name];
      if (v !== undefined) this.raw[name.toLowerCase()] = typeof v === 'number' ? String(v) : v;
    }
  }

  get(name: string): string | undefined {
    const v = this.raw[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return name.toLowerCase() in this.raw;
  }

  set(name: string, value: string | number): this {
    assertHeaderValue(name, String(value));
    this.raw[name.toLowerCase()] = String(value);
    return this;
  }

  /** Add a value, keeping earlier ones (Set-Cookie, Vary). */
  append(name: string, value: string): this {
    assertHeaderValue(name, value);
    const key = name.toLowerCase();
    const prev = this.raw[key];
    if (prev === undefined) this.raw[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else this.raw[key] = [prev, value];
    return this;
  }

  /** Set only if absent (middleware defaults must not override a view's choice). */
  setDefault(name: string, value: string): this {
    if (!this.has(name)) this.set(name, value);
    return this;
  }

  delete(name: string): this {
    delete this.raw[name.toLowerCase()];
    return this;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name in this.raw) {
      const v = this.raw[name]!;
      if (Array.isArray(v)) for (const item of v) yield [name, item];
      else yield [name, v];
    }
  }
}

/** Refuse CR/LF in header values: header injection is never legitimate. */
function assertHeaderValue(name: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new TypeError(`Header ${name} contains a line break; header values must be one line`);
  }
}
