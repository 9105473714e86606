import { randomBytes } from 'node:crypto';
import { ImproperlyConfigured } from '../errors.js';
import type { MiddlewareFactory } from './types.js';

/** In a SECURE_CSP directive, this source is replaced by `'nonce-<value>'` of the request. */
export const CSP_NONCE = "'nonce'";

export type CspPolicy = Readonly<Record<string, string | readonly string[]>>;

declare module '../http/request.js' {
  interface RequestState {
    /** The request's Content-Security-Policy nonce (set by the 'csp' middleware when a policy uses it). */
    cspNonce?: string;
  }
}

/**
 * Content-Security-Policy from the SECURE_CSP (enforced) and
 * SECURE_CSP_REPORT_ONLY settings. A directive source written `'nonce'` is
 * replaced per request by a fresh nonce, also put in `request.state.cspNonce`
 * so templates can mark inline scripts (`<script nonce="{{ csp_nonce }}">`
 * with the 'csp' context processor). A view's own header is kept.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'csp', 'common'], SECURE_CSP: { 'default-src': ["'self'"], 'script-src': ["'self'", "'nonce'"] } });
 */
export const contentSecurityPolicyMiddleware: MiddlewareFactory = (app) => {
  const enforced = compilePolicy(app.settings['SECURE_CSP'], 'SECURE_CSP');
  const reportOnly = compilePolicy(app.settings['SECURE_CSP_REPORT_ONLY'], 'SECURE_CSP_REPORT_ONLY');
  const needsNonce = (enforced?.usesNonce ?? false) || (reportOnly?.usesNonce ?? false);
  return async function csp(request, next) {
    const nonce = needsNonce ? randomBytes(16).toString('base64') : '';
    if (needsNonce) request.state.cspNonce = nonce;
    const response = await next(request);
    if (enforced) response.headers.setDefault('content-security-policy', enforced.render(nonce));
    if (reportOnly) response.headers.setDefault('content-security-policy-report-only', reportOnly.render(nonce));
    return response;
  };
};

interface CompiledPolicy {
  usesNonce: boolean;
  render(nonce: string): string;
}

const DIRECTIVE = /^[a-z][a-z-]*$/;
// Sources are tokens without separators; ';' or ',' would start another directive or policy.
const SOURCE = /^[^\s;,]+$/;

function compilePolicy(value: unknown, key: string): CompiledPolicy | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ImproperlyConfigured(`${key} must be an object of directives, e.g. { 'default-src': ["'self'"] }, got ${JSON.stringify(value)}.`);
  }
  const parts: Array<{ directive: string; sources: string[] }> = [];
  for (const [directive, raw] of Object.entries(value as CspPolicy)) {
    if (!DIRECTIVE.test(directive)) throw new ImproperlyConfigured(`${key} has an invalid directive name '${directive}'; use names like 'script-src'.`);
    const sources = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? [...raw] : null;
    if (!sources || sources.some((s) => typeof s !== 'string' || !SOURCE.test(s))) {
      throw new ImproperlyConfigured(`${key}['${directive}'] must be a list of sources without spaces, ';' or ',', got ${JSON.stringify(raw)}.`);
    }
    parts.push({ directive, sources });
  }
  const usesNonce = parts.some((p) => p.sources.includes(CSP_NONCE));
  const fixed = parts.map((p) => (p.sources.length ? `${p.directive} ${p.sources.join(' ')}` : p.directive)).join('; ');
  return {
    usesNonce,
    render: usesNonce
      ? (nonce) => parts.map((p) => [p.directive, ...p.sources.map((s) => (s === CSP_NONCE ? `'nonce-${nonce}'` : s))].join(' ')).join('; ')
      : () => fixed,
  };
}
