import type { HttpResponse } from '@atrium/core';

/**
 * Add a header name to Vary unless it is already there (or Vary is '*'), so
 * caches keep one copy per cookie and never serve one user's page to another.
 */
export function appendVary(response: HttpResponse, name: string): void {
  const current = response.headers.get('vary');
  if (current === undefined || current.trim() === '') {
    response.headers.set('vary', name);
    return;
  }
  const names = current.split(',').map((n) => n.trim().toLowerCase());
  if (names.includes('*') || names.includes(name.toLowerCase())) return;
  response.headers.set('vary', `${current}, ${name}`);
}
