import type { HttpRequest, HttpResponse } from '@atrium/core';
import { render } from '@atrium/templates';

/**
 * The app's start page. Its template lives in templates/{{ app_name }}/, so
 * '{{ app_name }}/index.html' cannot clash with another app's index.html.
 */
export function index(request: HttpRequest): Promise<HttpResponse> {
  return render(request, '{{ app_name }}/index.html', { title: '{{ AppName }}' });
}
