import type { HttpRequest } from '@atrium/core';
import { escapeHtml, markSafe, type SafeHtml } from '@atrium/templates';

/** Name of the CSRF form field the CSRF middleware reads (as in Django). */
export const CSRF_FIELD = 'csrfmiddlewaretoken';

/**
 * The CSRF hidden input for a request whose middleware set
 * `request.state.csrfToken`; empty markup otherwise (no CSRF app installed,
 * or no request).
 */
export function csrfInput(request: HttpRequest | undefined): SafeHtml {
  const state = request?.state as Readonly<Record<string, unknown>> | undefined;
  const token = state && Object.hasOwn(state, 'csrfToken') ? state['csrfToken'] : undefined;
  return markSafe(typeof token === 'string' && token !== '' ? `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">` : '');
}
