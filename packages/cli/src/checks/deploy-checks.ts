import { checkMessage, type SystemCheck } from './check-message.js';
import { GENERATE_KEY_HINT, secretKeyWeakness } from './secret-key-strength.js';

/** security.W001: without the security middleware no protective headers are sent. */
export const securityMiddlewareCheck: SystemCheck = ({ settings }) =>
  settings.MIDDLEWARE.includes('security')
    ? []
    : [checkMessage('warning', 'security.W001', "'security' is not in MIDDLEWARE, so responses carry no nosniff, X-Frame-Options, Referrer-Policy or HSTS headers.", "Add 'security' as the first MIDDLEWARE entry.")];

/** security.W004: without HSTS a first plain-HTTP visit can be intercepted and downgraded. */
export const hstsCheck: SystemCheck = ({ settings }) =>
  settings.SECURE_HSTS_SECONDS > 0
    ? []
    : [
        checkMessage(
          'warning',
          'security.W004',
          'SECURE_HSTS_SECONDS is 0, so browsers are not told to use HTTPS only.',
          'Once the whole site works over HTTPS, set SECURE_HSTS_SECONDS (start small, e.g. 3600, then 31_536_000).',
        ),
      ];

/** security.W006: without nosniff browsers may guess a script out of an upload. */
export const nosniffCheck: SystemCheck = ({ settings }) =>
  settings.SECURE_CONTENT_TYPE_NOSNIFF
    ? []
    : [checkMessage('warning', 'security.W006', 'SECURE_CONTENT_TYPE_NOSNIFF is off, so browsers may sniff content types.', 'Set SECURE_CONTENT_TYPE_NOSNIFF: true.')];

/** security.W008: plain-HTTP requests should be redirected to HTTPS (unless the proxy does it). */
export const sslRedirectCheck: SystemCheck = ({ settings }) =>
  settings.SECURE_SSL_REDIRECT
    ? []
    : [
        checkMessage(
          'warning',
          'security.W008',
          'SECURE_SSL_REDIRECT is off, so the site also answers over plain HTTP.',
          'Set SECURE_SSL_REDIRECT: true, or silence this check if the proxy in front redirects to HTTPS.',
        ),
      ];

/** security.W009: a short or guessable key (core.E001 already covers it outside DEBUG with a placeholder). */
export const strongSecretKeyCheck: SystemCheck = ({ settings }) => {
  if (!settings.DEBUG && secretKeyWeakness(settings.SECRET_KEY, false) !== null) return []; // core.E001 reports it
  const weakness = secretKeyWeakness(settings.SECRET_KEY, true);
  return weakness === null ? [] : [checkMessage('warning', 'security.W009', `SECRET_KEY ${weakness}.`, GENERATE_KEY_HINT)];
};

/** security.W018: DEBUG pages show settings and source code to anyone. */
export const debugCheck: SystemCheck = ({ settings }) =>
  settings.DEBUG
    ? [checkMessage('warning', 'security.W018', 'DEBUG is on; it must be off in deployment (error pages would show code and settings).', 'Set DEBUG to false (e.g. ATRIUM_DEBUG=false).')]
    : [];

/** The production checks `manage check --deploy` adds. */
export const deployChecks: readonly SystemCheck[] = [securityMiddlewareCheck, hstsCheck, nosniffCheck, sslRedirectCheck, strongSecretKeyCheck, debugCheck];
