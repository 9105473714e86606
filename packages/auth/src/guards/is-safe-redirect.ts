export interface SafeRedirectOptions {
  /** Hosts (host[:port], as in the Host header) an absolute URL may point to. */
  allowedHosts: Iterable<string>;
  /** Refuse http:// (and scheme-relative) targets, for HTTPS sites. */
  requireHttps?: boolean;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Django's `url_has_allowed_host_and_scheme`: true when redirecting to `url`
 * stays on an allowed host — a path on this site, or an http(s) URL of an
 * allowed host. Refuses `https://evil.example`, `//evil.example`,
 * `/\evil.example` (browsers read `\` as `/`), `///evil.example`,
 * `javascript:...`, `http:evil.example` and anything with control characters
 * (browsers strip tabs and newlines inside URLs).
 * @example isSafeRedirect(request.query.get('next'), { allowedHosts: [request.host], requireHttps: request.isSecure })
 */
export function isSafeRedirect(url: string | null | undefined, options: SafeRedirectOptions): boolean {
  if (typeof url !== 'string') return false;
  const trimmed = url.trim();
  if (trimmed === '') return false;
  const hosts = new Set([...options.allowedHosts].map((host) => host.toLowerCase()));
  const requireHttps = options.requireHttps ?? false;
  return allowed(trimmed, hosts, requireHttps) && allowed(trimmed.replace(/\\/g, '/'), hosts, requireHttps);
}

function allowed(url: string, hosts: ReadonlySet<string>, requireHttps: boolean): boolean {
  if (/[\x00-\x1f\x7f]/.test(url)) return false;
  // '///evil.example' is a path to urlsplit but a host to browsers.
  if (url.startsWith('///')) return false;
  const match = SCHEME.exec(url);
  let scheme = match ? match[1]!.toLowerCase() : '';
  const rest = match ? url.slice(match[0].length) : url;
  let netloc = '';
  if (rest.startsWith('//')) {
    const after = rest.slice(2);
    const end = after.search(/[/?#]/);
    netloc = (end === -1 ? after : after.slice(0, end)).toLowerCase();
  }
  // 'javascript:alert(1)', 'http:evil.example': a scheme without a host.
  if (scheme !== '' && netloc === '') return false;
  if (netloc !== '' && !hosts.has(netloc)) return false;
  // A scheme-relative URL ('//host/path') inherits the page's scheme, which may be http.
  if (scheme === '' && netloc !== '') scheme = 'http';
  if (scheme === '') return true;
  return requireHttps ? scheme === 'https' : scheme === 'http' || scheme === 'https';
}
