import type { HttpRequest, HttpResponse } from '@atrium/core';
import { render, type RenderInit } from '@atrium/templates';
import { authSettings } from '../settings.js';
import { authUrls } from './sibling-url.js';

/**
 * Render an auth template with what every auth page needs besides its own
 * context: `urls` (the auth pages), `redirectFieldName`, and the site name.
 * Projects override a page by putting a template of the same name
 * (`registration/login.html`) in their own templates folder.
 */
export function renderAuthPage(request: HttpRequest, template: string, context: Record<string, unknown>, init?: RenderInit): Promise<HttpResponse> {
  const settings = authSettings(request.app);
  return render(request, template, { urls: authUrls(request), redirectFieldName: settings.REDIRECT_FIELD_NAME, siteName: request.host, ...context }, init);
}

/** The `next` page a form carries (hidden field on POST, query string on GET), unchecked. */
export async function requestedNext(request: HttpRequest): Promise<string | null> {
  const field = authSettings(request.app).REDIRECT_FIELD_NAME;
  if (request.method === 'POST' && (request.contentType === 'application/x-www-form-urlencoded' || request.contentType === 'multipart/form-data')) {
    const posted = (await request.form()).fields.get(field);
    if (posted) return posted;
  }
  return request.query.get(field) ?? null;
}

/** Wait `ms` milliseconds (the login throttle's slow-down). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
