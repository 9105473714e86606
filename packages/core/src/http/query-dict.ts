/**
 * A multi-valued, insertion-ordered map of strings (query strings and form
 * fields). Backed by a Map so keys such as `__proto__` are plain data and can
 * never pollute an object prototype.
 */
export class QueryDict {
  readonly #map = new Map<string, string[]>();

  constructor(entries?: Iterable<readonly [string, string]>) {
    if (entries) for (const [k, v] of entries) this.append(k, v);
  }

  /** Parse `a=1&b=2&a=3` (no leading `?`). Invalid percent-escapes are kept literally. */
  static parse(queryString: string, maxFields = Infinity): QueryDict {
    const dict = new QueryDict();
    if (queryString === '') return dict;
    let count = 0;
    for (const pair of queryString.split('&')) {
      if (pair === '') continue;
      if (++count > maxFields) throw new RangeError(`more than ${maxFields} fields`);
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
      dict.append(decodeComponent(rawKey), decodeComponent(rawValue));
    }
    return dict;
  }

  /** The last value for `key`, as Django's QueryDict does. */
  get(key: string): string | undefined {
    const values = this.#map.get(key);
    return values === undefined ? undefined : values[values.length - 1];
  }

  getAll(key: string): string[] {
    return this.#map.get(key)?.slice() ?? [];
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  append(key: string, value: string): void {
    const values = this.#map.get(key);
    if (values) values.push(value);
    else this.#map.set(key, [value]);
  }

  set(key: string, value: string): void {
    this.#map.set(key, [value]);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  get size(): number {
    return this.#map.size;
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Every (key, value) pair, repeated keys included. */
  *entries(): IterableIterator<[string, string]> {
    for (const [k, values] of this.#map) for (const v of values) yield [k, v];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A null-prototype object of last values: safe against prototype pollution. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [k, values] of this.#map) out[k] = values[values.length - 1]!;
    return out;
  }

  toString(): string {
    const parts: string[] = [];
    for (const [k, v] of this.entries()) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    return parts.join('&');
  }
}

function decodeComponent(s: string): string {
  const plusFree = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plusFree.includes('%')) return plusFree;
  try {
    return decodeURIComponent(plusFree);
  } catch {
    return plusFree;
  }
}
