import type { HttpRequest } from '@atrium/core';
import { CsrfReason } from './csrf-reasons.js';

/**
 * Django's `is_same_domain`: `pattern` '.example.com' matches example.com and
 * any subdomain; otherwise the match is exact. Both are host[:port], lower-cased.
 */
export function isSameDomain(host: string, pattern: string): boolean {
  if (pattern === '') return false;
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('.') ? h.endsWith(p) || h === p.slice(1) : h === p;
}

/** CSRF_TRUSTED_ORIGINS split once at start-up into exact origins and wildcard subdomain patterns. */
export interface TrustedOrigins {
  readonly exact: ReadonlySet<string>;
  /** scheme -> host patterns ('.example.com') from entries like 'https://*.example.com'. */
  readonly subdomains: ReadonlyMap<string, readonly string[]>;
  /** Host patterns of every entry, for the Referer check ('.example.com' or 'example.com'). */
  readonly hosts: readonly string[];
}

export function parseTrustedOrigins(origins: readonly string[]): TrustedOrigins {
  const exact = new Set<string>();
  const subdomains = new Map<string, string[]>();
  const hosts: string[] = [];
  for (const origin of origins) {
    const at = origin.indexOf('://');
    const scheme = origin.slice(0, at).toLowerCase();
    const host = origin.slice(at + 3).toLowerCase();
    if (host.includes('*')) {
      const pattern = host.replace(/^\*/, '');
      subdomains.set(scheme, [...(subdomains.get(scheme) ?? []), pattern]);
      hosts.push(pattern);
    } else {
      exact.add(`${scheme}://${host}`);
      hosts.push(host);
    }
  }
  return { exact, subdomains, hosts };
}

/**
 * True when the Origin header names this site (scheme and host of the
 * request) or a trusted origin. `null` (sandboxed frames, privacy redirects)
 * and anything unparsable are refused.
 */
export function originVerified(request: HttpRequest, origin: string, trusted: TrustedOrigins): boolean {
  const lowered = origin.toLowerCase();
  const host = request.host.toLowerCase();
  if (host !== '' && lowered === `${request.scheme}://${host}`) return true;
  if (trusted.exact.has(lowered)) return true;
  let parsed: URL;
  try {
    parsed = new URL(lowered);
  } catch {
    return false;
  }
  const patterns = trusted.subdomains.get(parsed.protocol.slice(0, -1)) ?? [];
  return parsed.host !== '' && patterns.some((pattern) => isSameDomain(parsed.host, pattern));
}

/**
 * For HTTPS requests without Origin: the Referer must be an https URL of this
 * site (or of CSRF_COOKIE_DOMAIN, or a trusted origin's host), so a
 * man-in-the-middle on plain HTTP cannot post to the secure site. Returns the
 * failure reason, or null when the Referer is acceptable.
 */
export function refererProblem(request: HttpRequest, trusted: TrustedOrigins, cookieDomain: string | null): string | null {
  const referer = request.header('referer');
  if (referer === undefined) return CsrfReason.noReferer;
  let parsed: URL;
  try {
    parsed = new URL(referer);
  } catch {
    return CsrfReason.malformedReferer;
  }
  // WHATWG URL accepts 'foo:bar' (no host); a Referer must have both parts.
  if (parsed.protocol === '' || parsed.host === '' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(referer)) return CsrfReason.malformedReferer;
  if (parsed.protocol !== 'https:') return CsrfReason.insecureReferer;
  if (trusted.hosts.some((pattern) => isSameDomain(parsed.host, pattern))) return null;
  let good: string;
  if (cookieDomain) {
    const port = portOf(request.host);
    good = port && port !== '443' && port !== '80' ? `${cookieDomain}:${port}` : cookieDomain;
  } else {
    good = request.host;
  }
  return isSameDomain(parsed.host, good) ? null : CsrfReason.badReferer(referer);
}

function portOf(host: string): string | null {
  const match = /:(\d+)$/.exec(host);
  return match ? match[1]! : null;
}
