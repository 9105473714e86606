/**
 * The test client's cookies: applies Set-Cookie headers (expiry by Max-Age=0
 * or a past Expires removes a cookie) and builds the Cookie header.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  delete(name: string): void {
    this.#cookies.delete(name);
  }

  clear(): void {
    this.#cookies.clear();
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.#cookies);
  }

  /** Apply one Set-Cookie header value. */
  apply(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    let expired = false;
    for (const attribute of attributes) {
      const [rawKey = '', rawVal = ''] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      if (key === 'max-age' && Number(rawVal.trim()) <= 0) expired = true;
      if (key === 'expires' && Date.parse(rawVal.trim()) <= Date.now()) expired = true;
    }
    if (expired) this.#cookies.delete(name);
    else this.#cookies.set(name, decodeValue(value));
  }

  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

function decodeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
