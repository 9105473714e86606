import { Http404, SuspiciousOperation } from '../errors.js';
import type { AppContext } from '../app/context.js';
import type { HttpRequest } from '../http/request.js';
import { redirect, type HttpResponse } from '../http/response.js';
import { withPhases } from './middleware-phases.js';
import type { Handler, MiddlewareFactory } from './types.js';

/**
 * Django's CommonMiddleware: refuse a Host that is malformed or not in
 * ALLOWED_HOSTS (400, E_DISALLOWED_HOST), redirect plain HTTP to HTTPS when
 * SECURE_SSL_REDIRECT, and with APPEND_SLASH redirect `/about` to `/about/`
 * when only the latter is a route (301, query string kept).
 * @example export default defineSettings({ ALLOWED_HOSTS: ['.example.com'], MIDDLEWARE: ['security', 'common'] });
 */
export const commonMiddleware: MiddlewareFactory = (app) => {
  const isAllowed = allowedHostMatcher(app.settings.ALLOWED_HOSTS);
  const sslRedirect = app.settings.SECURE_SSL_REDIRECT;
  const appendSlash = app.settings.APPEND_SLASH;
  // The last Host seen valid: almost every request repeats it, so skip the parse.
  let lastGoodHost: string | null = null;

  /** Host check and HTTPS redirect: a response here answers the request. */
  const beforeRequest = (request: HttpRequest): HttpResponse | undefined => {
    const host = request.host;
    if (host !== lastGoodHost) {
      validateHost(host, isAllowed);
      lastGoodHost = host;
    }
    if (sslRedirect && !request.isSecure) {
      return redirect(`https://${host}${request.url.startsWith('/') ? request.url : '/'}`, { permanent: true });
    }
    return undefined;
  };
  /** APPEND_SLASH applies to paths without a trailing slash (and not to `*` or absolute-form targets). */
  const slashCandidate = (request: HttpRequest): boolean => !request.path.endsWith('/') && request.rawPath.startsWith('/');
  /** A 404 for `/about` becomes a redirect to `/about/` when that is a route. */
  const afterResponse = (request: HttpRequest, response: HttpResponse): HttpResponse =>
    response.status === 404 && slashCandidate(request) ? (slashRedirect(request) ?? response) : response;

  async function common(request: HttpRequest, next: Handler): Promise<HttpResponse> {
    const early = beforeRequest(request);
    if (early !== undefined) return early;
    if (!appendSlash || !slashCandidate(request)) return next(request);

    let response: HttpResponse;
    try {
      response = await next(request);
    } catch (error) {
      // Usually the application turns errors into responses first; a bare Http404 is handled the same way.
      const redirected = error instanceof Http404 ? slashRedirect(request) : null;
      if (redirected) return redirected;
      throw error;
    }
    return afterResponse(request, response);
  }
  // Inside an application the inner layers' errors arrive as error pages, so
  // the response phase needs no try/catch; it only looks at 404s, so a route
  // that matches costs one status comparison.
  return withPhases(common, appendSlash ? { request: beforeRequest, response: afterResponse } : { request: beforeRequest });
};

/**
 * Throw SuspiciousOperation (E_DISALLOWED_HOST) unless `host` is a valid
 * Host header value whose name (port stripped) `isAllowed` accepts.
 * @example validateHost(request.host, allowedHostMatcher(settings.ALLOWED_HOSTS));
 */
export function validateHost(host: string, isAllowed: (domain: string) => boolean): void {
  const domain = hostDomain(host);
  if (domain === null) {
    throw new SuspiciousOperation(
      host === ''
        ? 'The request has no Host header; HTTP/1.1 clients must send one naming the site.'
        : `Invalid Host header ${quote(host)}: the name is not valid according to RFC 1034/1035.`,
      { code: 'E_DISALLOWED_HOST' },
    );
  }
  if (!isAllowed(domain)) {
    throw new SuspiciousOperation(`Invalid Host header ${quote(host)}: it is not served by this site. You may need to add ${quote(domain)} to ALLOWED_HOSTS.`, {
      code: 'E_DISALLOWED_HOST',
    });
  }
}

// Django's host_validation_re: a DNS name or a bracketed IPv6 literal, then an optional port.
const HOST_SYNTAX = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$/;

/**
 * The lower-cased name of a Host header without port or trailing dot (IPv6 keeps its brackets), or null when malformed.
 * @example hostDomain('WWW.Example.com:8000') // 'www.example.com'
 */
export function hostDomain(host: string): string | null {
  if (host.length === 0 || host.length > 300) return null;
  const match = HOST_SYNTAX.exec(host.toLowerCase());
  if (!match) return null;
  const domain = match[1]!;
  return domain.endsWith('.') ? domain.slice(0, -1) : domain;
}

/**
 * Compile ALLOWED_HOSTS once: exact names, '.example.com' for the domain and
 * its subdomains, '*' for anything. Matching is case-insensitive.
 * @example allowedHostMatcher(['.example.com'])('api.example.com') // true
 */
export function allowedHostMatcher(patterns: readonly string[]): (domain: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let anything = false;
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    if (pattern === '*') anything = true;
    else if (pattern.startsWith('.')) {
      suffixes.push(pattern);
      exact.add(pattern.slice(1));
    } else exact.add(pattern);
  }
  if (anything) return () => true;
  return (domain) => exact.has(domain) || suffixes.some((suffix) => domain.endsWith(suffix));
}

/**
 * The APPEND_SLASH redirect for a request that got a 404, or null when the
 * slash-appended path is no route either. POST and friends cannot be
 * redirected without losing the body; with DEBUG they get a 404 saying so.
 */
function slashRedirect(request: HttpRequest): HttpResponse | null {
  const app = request.app;
  if (routeExists(app, request.path) || !routeExists(app, `${request.path}/`)) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (!app.settings.DEBUG) return null;
    throw new Http404(
      `You called ${request.path} with ${request.method}, but it does not end in a slash and APPEND_SLASH is on. ` +
        `Atrium cannot redirect to ${request.path}/ without losing the ${request.method} data: ` +
        `change the form or client to use ${request.path}/ (note the trailing slash), or set APPEND_SLASH to false.`,
      { tried: app.router.patterns() },
    );
  }
  const query = request.queryString;
  return redirect(`${sameSiteLocation(`${request.rawPath}/`)}${query ? `?${query}` : ''}`, { permanent: true });
}

function routeExists(app: AppContext, path: string): boolean {
  return app.router.resolve(path) !== null;
}

/**
 * Make a path safe as a Location: percent-encode control characters and
 * spaces (browsers strip tabs and newlines from URLs), then break a leading
 * `//` or `/\`, which browsers read as another host (CVE-2018-14574 in Django).
 * @example sameSiteLocation('//evil.example/') // '/%2Fevil.example/'
 */
export function sameSiteLocation(path: string): string {
  const clean = path.replace(/[\x00-\x20\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  if (clean.length > 1 && clean[0] === '/' && (clean[1] === '/' || clean[1] === '\\')) {
    return `/${clean[1] === '/' ? '%2F' : '%5C'}${clean.slice(2)}`;
  }
  return clean;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
}
