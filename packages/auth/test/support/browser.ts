import { expect } from 'vitest';
import type { TestClient, TestResponse } from '@atrium/core/testing';
import { maskCsrfSecret } from '../../src/index.js';

/** The masked CSRF token for the client's csrftoken cookie, as a page would embed it. */
export function csrfToken(client: TestClient): string {
  const secret = client.cookies.get('csrftoken');
  if (!secret) throw new Error('The client has no csrftoken cookie yet: GET a page with a form first.');
  return maskCsrfSecret(secret);
}

/** The value of a hidden input in a page. */
export function hiddenValue(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1];
}

/** GET a form page (which sets the CSRF cookie), then POST `fields` to it with the page's token. */
export async function submit(client: TestClient, path: string, fields: Record<string, string>, options: { remoteAddress?: string } = {}): Promise<TestResponse> {
  const page = await client.get(path);
  expect([200, 429]).toContain(page.status);
  const html = await page.text();
  const token = hiddenValue(html, 'csrfmiddlewaretoken');
  expect(token, `no CSRF token in the form at ${path}`).toBeDefined();
  return client.post(path, { form: { csrfmiddlewaretoken: token!, ...fields }, ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}) });
}

/** Log in through the login page. */
export function logIn(client: TestClient, username: string, password: string, next?: string): Promise<TestResponse> {
  const path = next === undefined ? '/accounts/login/' : `/accounts/login/?next=${encodeURIComponent(next)}`;
  return submit(client, path, { username, password });
}

/** POST to the logout page with a CSRF token. */
export function logOut(client: TestClient): Promise<TestResponse> {
  return client.post('/accounts/logout/', { form: { csrfmiddlewaretoken: csrfToken(client) } });
}
