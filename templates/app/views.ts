import type { HttpRequest, HttpResponse } from '@atrium/core';
import { render } from '@atrium/templates';

/**
 * The app's start page. Templates live in templates/{{ app_name }}/, so the
 * name 'app/page.html' cannot clash with another app's templates.
 */
export function index(request: HttpRequest): Promise<HttpResponse> {
  return render(request, '{{ app_name }}/index.html', { title: '{{ AppName }}' });
}
