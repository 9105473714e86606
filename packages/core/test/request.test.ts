import { describe, expect, it } from 'vitest';
import { HttpRequest } from '../src/http/request.js';

const request = (method: string, headers: Record<string, string> = {}) => new HttpRequest({ method, url: '/', headers, body: null });

describe('HttpRequest', () => {
  it('upper-cases the method whatever the source gives, standard or not', () => {
    expect(request('GET').method).toBe('GET');
    expect(request('get').method).toBe('GET');
    expect(request('Patch').method).toBe('PATCH');
    expect(request('OPTIONS').method).toBe('OPTIONS');
    expect(request('propfind').method).toBe('PROPFIND');
    expect(request('M-SEARCH').method).toBe('M-SEARCH');
  });

  it('gives params as a mutable object of its own before the router sets them, and the router\'s object after', () => {
    const first = request('GET');
    const second = request('GET');
    expect(first.params).toEqual({});
    first.params['early'] = 1;
    expect(first.params).toEqual({ early: 1 });
    expect(second.params).toEqual({});
    const routed = { id: 3 };
    second.params = routed;
    expect(second.params).toBe(routed);
  });

  it('decodes the path before the query, short or long, and keeps a malformed escape literally', () => {
    const long = `/${'x'.repeat(200)}`;
    const cases: Array<[url: string, path: string]> = [
      ['/plaintext', '/plaintext'],
      ['/caf%C3%A9/?q=%41', '/café/'],
      ['/a?b%41=1', '/a'],
      ['/a?', '/a'],
      ['?x=1', ''],
      ['/bad%E0%A4%A', '/bad%E0%A4%A'],
      ['/100%', '/100%'],
      [`${long}?q=%41`, long],
      [`${long}%20/?q=1`, `${long} /`],
      [`/%41${'y'.repeat(200)}?q`, `/A${'y'.repeat(200)}`],
      [`${long}%E0%A4%A?q`, `${long}%E0%A4%A`],
    ];
    for (const [url, path] of cases) {
      expect(new HttpRequest({ method: 'GET', url, headers: {}, body: null }).path, url).toBe(path);
    }
  });

  it('reads headers by any case of their name', () => {
    const req = request('GET', { 'x-request-id': 'abc', host: 'example.com' });
    expect(req.header('X-Request-ID')).toBe('abc');
    expect(req.header('x-request-id')).toBe('abc');
    expect(req.header('HOST')).toBe('example.com');
    expect(req.header('x-missing')).toBeUndefined();
  });

  it('reads the Host header as request.host, joining repeated values like header() and giving "" when absent', () => {
    expect(request('GET', { host: 'example.com:8000' }).host).toBe('example.com:8000');
    expect(request('GET').host).toBe('');
    const repeated = new HttpRequest({ method: 'GET', url: '/', headers: { host: ['a.example', 'b.example'] }, body: null });
    expect(repeated.host).toBe('a.example, b.example');
    expect(repeated.host).toBe(repeated.header('host'));
  });
});
