import { ImproperlyConfigured } from '../errors.js';
import type { Settings } from '../settings/schema.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { withPhases } from './middleware-phases.js';
import type { MiddlewareFactory } from './types.js';

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
  const settings = app.settings;
  // null: the setting turns the header off.
  const nosniff = settings.SECURE_CONTENT_TYPE_NOSNIFF ? 'nosniff' : null;
  const frameOptions = headerSetting('x-frame-options', settings.X_FRAME_OPTIONS);
  const referrerPolicy = headerSetting('referrer-policy', settings.SECURE_REFERRER_POLICY);
  const openerPolicy = headerSetting('cross-origin-opener-policy', settings.SECURE_CROSS_ORIGIN_OPENER_POLICY);
  const hsts = hstsHeader(settings);
  const addHeaders = (request: HttpRequest, response: HttpResponse): HttpResponse => {
    // Straight into the header store, one literal name per line: the names
    // are lower-case and the values were checked at start-up, so setDefault's
    // lower-casing and checks would only repeat that work on every response,
    // and literal names let V8 cache each lookup.
    const raw = response.headers.raw;
    if (nosniff !== null && raw['x-content-type-options'] === undefined) raw['x-content-type-options'] = nosniff;
    if (frameOptions !== null && raw['x-frame-options'] === undefined) raw['x-frame-options'] = frameOptions;
    if (referrerPolicy !== null && raw['referrer-policy'] === undefined) raw['referrer-policy'] = referrerPolicy;
    if (openerPolicy !== null && raw['cross-origin-opener-policy'] === undefined) raw['cross-origin-opener-policy'] = openerPolicy;
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

/** A header value from settings, or null when the setting is empty; fails at start-up on a line break (ResponseHeaders refuses them). */
function headerSetting(name: string, value: string | false | null | undefined): string | null {
  if (!value) return null;
  if (/[\r\n]/.test(value)) throw new ImproperlyConfigured(`The setting for the ${name} header contains a line break (${JSON.stringify(value)}); use a single-line value.`);
  return value;
}

function hstsHeader(settings: Settings): string | null {
  if (settings.SECURE_HSTS_SECONDS <= 0) return null;
  let value = `max-age=${settings.SECURE_HSTS_SECONDS}`;
  if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS) value += '; includeSubDomains';
  if (settings.SECURE_HSTS_PRELOAD) value += '; preload';
  return value;
}
