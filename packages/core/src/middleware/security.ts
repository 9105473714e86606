import { ImproperlyConfigured } from '../errors.js';
import type { Settings } from '../settings/schema.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { withPhases } from './middleware-phases.js';
import type { MiddlewareFactory } from './types.js';

/** Header names and values, alternating (`[name, value, name, value, ...]`), computed once from settings. */
type HeaderPlan = readonly string[];

/**
 * Django's SecurityMiddleware plus XFrameOptionsMiddleware: default security
 * headers on every response (nosniff, X-Frame-Options, Referrer-Policy,
 * Cross-Origin-Opener-Policy) and HSTS on HTTPS responses when
 * SECURE_HSTS_SECONDS > 0. Headers a view already set are kept, so a view can
 * allow framing with `res.headers.set('x-frame-options', 'SAMEORIGIN')`.
 * Values are computed once here, not per request.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'common'], SECURE_HSTS_SECONDS: 31_536_000 });
 */
export const securityMiddleware: MiddlewareFactory = (app) => {
  const always = alwaysHeaders(app.settings);
  const hsts = hstsHeader(app.settings);
  const addHeaders = (request: HttpRequest, response: HttpResponse): HttpResponse => {
    // Straight into the header store: the names are lower-case and the values
    // were checked for line breaks at start-up, so setDefault's per-call
    // lower-casing and checks would only repeat that work on every response.
    const raw = response.headers.raw;
    for (let i = 0; i < always.length; i += 2) {
      if (raw[always[i]!] === undefined) raw[always[i]!] = always[i + 1]!;
    }
    // RFC 6797 section 7.2: HSTS sent over plain HTTP must be ignored, so only send it over HTTPS.
    if (hsts !== null && request.isSecure && raw['strict-transport-security'] === undefined) raw['strict-transport-security'] = hsts;
    return response;
  };
  return withPhases(
    async function security(request, next) {
      return addHeaders(request, await next(request));
    },
    { response: addHeaders },
  );
};

function alwaysHeaders(settings: Settings): HeaderPlan {
  const plan: string[] = [];
  if (settings.SECURE_CONTENT_TYPE_NOSNIFF) plan.push('x-content-type-options', 'nosniff');
  if (settings.X_FRAME_OPTIONS) plan.push('x-frame-options', settings.X_FRAME_OPTIONS);
  if (settings.SECURE_REFERRER_POLICY) plan.push('referrer-policy', settings.SECURE_REFERRER_POLICY);
  if (settings.SECURE_CROSS_ORIGIN_OPENER_POLICY) plan.push('cross-origin-opener-policy', settings.SECURE_CROSS_ORIGIN_OPENER_POLICY);
  for (let i = 0; i < plan.length; i += 2) {
    // Fail at start-up rather than on every response (ResponseHeaders refuses line breaks).
    const value = plan[i + 1]!;
    if (/[\r\n]/.test(value)) throw new ImproperlyConfigured(`The setting for the ${plan[i]} header contains a line break (${JSON.stringify(value)}); use a single-line value.`);
  }
  return plan;
}

function hstsHeader(settings: Settings): string | null {
  if (settings.SECURE_HSTS_SECONDS <= 0) return null;
  let value = `max-age=${settings.SECURE_HSTS_SECONDS}`;
  if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS) value += '; includeSubDomains';
  if (settings.SECURE_HSTS_PRELOAD) value += '; preload';
  return value;
}
