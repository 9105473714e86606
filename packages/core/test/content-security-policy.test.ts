import { describe, expect, it } from 'vitest';
import { createApplication } from '../src/app/create-application.js';
import { TestClient } from '../src/testing/test-client.js';
import { path } from '../src/routing/index.js';
import { html } from '../src/http/response.js';
import { ImproperlyConfigured } from '../src/errors.js';

const base = { SECRET_KEY: 's'.repeat(50), ALLOWED_HOSTS: ['testserver'] };

async function client(settings: Record<string, unknown>, view = (req: { state: { cspNonce?: string } }) => html(`<script nonce="${req.state.cspNonce ?? ''}"></script>`)) {
  const app = await createApplication({ settings: { ...base, MIDDLEWARE: ['security', 'csp', 'common'], ...settings }, routes: [path('', view)], templates: null, env: {} });
  return new TestClient(app);
}

describe("the 'csp' middleware", () => {
  it('sends the policy with a fresh nonce per request, the same one the view sees', async () => {
    const c = await client({ SECURE_CSP: { 'default-src': ["'self'"], 'script-src': ["'self'", "'nonce'"] } });
    const first = await c.get('/');
    const header = first.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(header)?.[1];
    expect(header).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'$/);
    expect(await first.text()).toBe(`<script nonce="${nonce}"></script>`);
    const second = (await c.get('/')).headers.get('content-security-policy');
    expect(second).not.toBe(header);
  });

  it('sends a report-only policy and no nonce when none is asked for', async () => {
    const c = await client({ SECURE_CSP_REPORT_ONLY: { 'default-src': "'self'", 'upgrade-insecure-requests': [] } });
    const res = await c.get('/');
    expect(res.headers.get('content-security-policy-report-only')).toBe("default-src 'self'; upgrade-insecure-requests");
    expect(res.headers.get('content-security-policy')).toBeUndefined();
    expect(await res.text()).toBe('<script nonce=""></script>');
  });

  it("keeps a view's own policy", async () => {
    const c = await client({ SECURE_CSP: { 'default-src': ["'self'"] } }, () => html('x', { headers: { 'content-security-policy': "default-src 'none'" } }));
    expect((await c.get('/')).headers.get('content-security-policy')).toBe("default-src 'none'");
  });

  it('refuses a source that would inject another directive, naming the setting', async () => {
    await expect(client({ SECURE_CSP: { 'script-src': ["'self'; img-src *"] } })).rejects.toThrowError(ImproperlyConfigured);
    await expect(client({ SECURE_CSP: { 'script-src': ["'self'; img-src *"] } })).rejects.toThrowError(/SECURE_CSP\['script-src'\]/);
  });
});
