import { describe, expect, it } from 'vitest';
import { HttpRequest } from '../src/http/request.js';
import { normalizeAddress, proxyEntryProblem, trustedProxies } from '../src/http/trusted-proxies.js';
import { validateSettings } from '../src/settings/validate-settings.js';
import { commonMiddleware } from '../src/middleware/common.js';
import { text } from '../src/http/response.js';
import { ImproperlyConfigured, SuspiciousOperation } from '../src/errors.js';
import type { AppContext } from '../src/app/context.js';

const PROXIED = {
  TRUSTED_PROXIES: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'],
  SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto', 'https'],
  USE_X_FORWARDED_HOST: true,
  ALLOWED_HOSTS: ['www.example.com'],
};

function appWith(settings: Record<string, unknown>): AppContext {
  return { settings: validateSettings({ SECRET_KEY: 'k'.repeat(48), ...settings }, { env: {} }) } as unknown as AppContext;
}

function requestFrom(remoteAddress: string, headers: Record<string, string>, settings: Record<string, unknown> = PROXIED): HttpRequest {
  const request = new HttpRequest({ method: 'GET', url: '/', headers: { host: 'internal:8000', ...headers }, body: null, remoteAddress, encrypted: false });
  request.app = appWith(settings);
  return request;
}

const FORWARDED = { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'www.example.com' };

describe('TRUSTED_PROXIES matching', () => {
  it('matches addresses and CIDR ranges of both families, and IPv4-mapped IPv6 peers', () => {
    const proxies = trustedProxies(['192.0.2.10', '10.0.0.0/8', '2001:db8::/32', '::1']);
    expect(proxies.has('192.0.2.10')).toBe(true);
    expect(proxies.has('192.0.2.11')).toBe(false);
    expect(proxies.has('10.255.0.1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.has('2001:db8:ffff::1')).toBe(true);
    expect(proxies.has('2001:db9::1')).toBe(false);
    expect(proxies.has('0:0:0:0:0:0:0:1')).toBe(true);
    expect(proxies.has('not-an-ip')).toBe(false);
  });

  it('normalizes the address forms proxies and sockets report', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress(' 192.0.2.1:5555 ')).toBe('192.0.2.1');
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('unknown')).toBeNull();
  });

  it('refuses entries that are no address or range, naming them', () => {
    expect(proxyEntryProblem('10.0.0.0/33')).toBe('the prefix length must be 0-32 for IPv4');
    expect(proxyEntryProblem('fd00::/129')).toBe('the prefix length must be 0-128 for IPv6');
    expect(proxyEntryProblem('proxy.internal')).toContain('not an IP address or CIDR range');
    expect(() => appWith({ TRUSTED_PROXIES: ['10.0.0.1', 'nginx'] })).toThrow(ImproperlyConfigured);
    expect(() => appWith({ TRUSTED_PROXIES: ['10.0.0.1', 'nginx'] })).toThrow(/'nginx': it is not an IP address or CIDR range/);
  });
});

describe('X-Forwarded-* from trusted and untrusted peers', () => {
  it('believes the headers from a trusted proxy: client IP, HTTPS and host', () => {
    for (const peer of ['127.0.0.1', '10.1.2.3', '::ffff:10.1.2.3', '::1', 'fd12::5']) {
      const request = requestFrom(peer, FORWARDED);
      expect(request.isFromTrustedProxy).toBe(true);
      expect(request.clientAddress).toBe('198.51.100.7');
      expect(request.isSecure).toBe(true);
      expect(request.scheme).toBe('https');
      expect(request.host).toBe('www.example.com');
      expect(request.buildAbsoluteUri('/a')).toBe('https://www.example.com/a');
    }
  });

  it('ignores them from any other peer, even when they claim to be a proxy', () => {
    for (const peer of ['203.0.113.5', '11.0.0.1', '::ffff:203.0.113.5', '2001:db8::1']) {
      const request = requestFrom(peer, { ...FORWARDED, 'x-forwarded-for': '127.0.0.1' });
      expect(request.isFromTrustedProxy).toBe(false);
      expect(request.clientAddress).toBe(peer);
      expect(request.isSecure).toBe(false);
      expect(request.host).toBe('internal:8000');
    }
  });

  it('ignores them when TRUSTED_PROXIES is empty (the default)', () => {
    const request = requestFrom('127.0.0.1', FORWARDED, { ...PROXIED, TRUSTED_PROXIES: [] });
    expect(request.clientAddress).toBe('127.0.0.1');
    expect(request.isSecure).toBe(false);
    expect(request.host).toBe('internal:8000');
  });

  it('walks X-Forwarded-For right to left, skipping trusted hops; spoofed entries on the left are never used', () => {
    const chain = (xff: string) => requestFrom('10.0.0.2', { 'x-forwarded-for': xff }).clientAddress;
    expect(chain('198.51.100.7, 10.0.0.9')).toBe('198.51.100.7');
    expect(chain('6.6.6.6, 198.51.100.7, 10.0.0.9')).toBe('198.51.100.7');
    expect(chain('127.0.0.1, 198.51.100.7')).toBe('198.51.100.7');
    expect(chain('2001:db8::7, fd00::1')).toBe('2001:db8::7');
    // Every hop trusted: the farthest one is the client.
    expect(chain('10.0.0.7, 10.0.0.9')).toBe('10.0.0.7');
    // Garbage where an address should be: the proxy that passed it on.
    expect(chain('198.51.100.7, unknown, 10.0.0.9')).toBe('10.0.0.9');
    expect(chain('')).toBe('10.0.0.2');
  });

  it('reads only the first value of a repeated proto header', () => {
    expect(requestFrom('10.0.0.2', { 'x-forwarded-proto': 'https, http' }).isSecure).toBe(true);
    expect(requestFrom('10.0.0.2', { 'x-forwarded-proto': 'http, https' }).isSecure).toBe(false);
  });

  it('checks the forwarded host against ALLOWED_HOSTS', async () => {
    const middleware = commonMiddleware(appWith(PROXIED));
    const next = async () => text('ok');
    expect((await middleware(requestFrom('10.0.0.2', { 'x-forwarded-host': 'www.example.com' }), next)).status).toBe(200);
    await expect(middleware(requestFrom('10.0.0.2', { 'x-forwarded-host': 'evil.example' }), next)).rejects.toThrow(SuspiciousOperation);
    // From an untrusted peer the forwarded host is ignored and the real Host header is checked.
    await expect(middleware(requestFrom('203.0.113.5', { host: 'www.example.com', 'x-forwarded-host': 'evil.example' }), next)).resolves.toMatchObject({ status: 200 });
  });
});
