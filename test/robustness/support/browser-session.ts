/**
 * A minimal cookie-keeping HTTP client over real sockets (fetch), for the
 * socket tests: it logs in through the login form with its CSRF token, and
 * hands out the CSRF cookie and a masked token for POSTs.
 */
export class BrowserSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs?: number } = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0 && headers['cookie'] === undefined) headers['cookie'] = this.cookieHeader();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** GET the login page: sets the csrftoken cookie and returns the page's masked token. */
  async csrfToken(): Promise<string> {
    const page = await this.request('/accounts/login/');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on the login page (status ${page.status})`);
    return token;
  }

  /** Log in through the form; returns the response (302 on success). */
  async login(username: string, password: string, next?: string): Promise<{ status: number; headers: Headers; text: string }> {
    const token = await this.csrfToken();
    const form = new URLSearchParams({ csrfmiddlewaretoken: token, username, password, ...(next !== undefined ? { next } : {}) });
    return this.request(`/accounts/login/${next !== undefined ? `?next=${encodeURIComponent(next)}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.baseUrl },
      body: form.toString(),
    });
  }
}
