import { ImproperlyConfigured } from '../errors.js';
import type { Settings } from '../settings/schema.js';
import type { MiddlewareFactory } from './types.js';

/** Header name -> value, computed once from settings. */
type HeaderPlan = ReadonlyArray<readonly [string, string]>;

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
  return async function security(request, next) {
    const response = await next(request);
    const headers = response.headers;
    for (const [name, value] of always) headers.setDefault(name, value);
    // RFC 6797 section 7.2: HSTS sent over plain HTTP must be ignored, so only send it over HTTPS.
    if (hsts !== null && request.isSecure) headers.setDefault('strict-transport-security', hsts);
    return response;
  };
};

function alwaysHeaders(settings: Settings): HeaderPlan {
  const plan: Array<readonly [string, string]> = [];
  if (settings.SECURE_CONTENT_TYPE_NOSNIFF) plan.push(['x-content-type-options', 'nosniff']);
  if (settings.X_FRAME_OPTIONS) plan.push(['x-frame-options', settings.X_FRAME_OPTIONS]);
  if (settings.SECURE_REFERRER_POLICY) plan.push(['referrer-policy', settings.SECURE_REFERRER_POLICY]);
  if (settings.SECURE_CROSS_ORIGIN_OPENER_POLICY) plan.push(['cross-origin-opener-policy', settings.SECURE_CROSS_ORIGIN_OPENER_POLICY]);
  for (const [name, value] of plan) {
    // Fail at start-up rather than on every response (ResponseHeaders refuses line breaks).
    if (/[\r\n]/.test(value)) throw new ImproperlyConfigured(`The setting for the ${name} header contains a line break (${JSON.stringify(value)}); use a single-line value.`);
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
