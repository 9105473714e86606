import { describe, expect, it } from 'vitest';
import { serializeCookies, serializeCookie } from '../src/http/cookies.js';
import { HttpResponse } from '../src/http/response.js';
import { HttpRequest } from '../src/http/request.js';
import { Signer } from '../src/signing/index.js';

const neverSign = (): string => {
  throw new Error('sign must not be called for an unsigned cookie');
};

function setCookies(response: HttpResponse): string[] {
  const raw = response.headers.raw['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

describe('serializeCookies', () => {
  it('writes every attribute', () => {
    const response = new HttpResponse('ok');
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    response.setCookie('sessionid', 'abc123', {
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      maxAge: 3600,
      expires,
      path: '/app/',
      domain: 'example.com',
    });
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toEqual([
      'sessionid=abc123; Max-Age=3600; Domain=example.com; Path=/app/; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('defaults Path to / and adds nothing unasked', () => {
    const response = new HttpResponse().setCookie('theme', 'dark');
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toEqual(['theme=dark; Path=/']);
  });

  it('emits one header per cookie, strict and none SameSite, and empties the queue', () => {
    const response = new HttpResponse()
      .setCookie('a', '1', { sameSite: 'strict' })
      .setCookie('b', '2', { sameSite: 'none', secure: true, partitioned: true });
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toEqual(['a=1; Path=/; SameSite=Strict', 'b=2; Path=/; Secure; Partitioned; SameSite=None']);
    expect(response.cookies).toHaveLength(0);
    expect(response.hasCookies).toBe(false);
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toHaveLength(2);
  });

  it('reports queued cookies through hasCookies, and a cookie pushed onto response.cookies counts', () => {
    const response = new HttpResponse();
    expect(response.hasCookies).toBe(false);
    expect(response.cookies).toEqual([]);
    expect(response.hasCookies).toBe(false);
    response.cookies.push({ name: 'pushed', value: '1', options: {}, signSalt: null });
    expect(response.hasCookies).toBe(true);
    expect(new HttpResponse().setCookie('a', '1').hasCookies).toBe(true);
    expect(new HttpResponse().deleteCookie('a').hasCookies).toBe(true);
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toEqual(['pushed=1; Path=/']);
  });

  it('deleteCookie expires the cookie at once', () => {
    const response = new HttpResponse().deleteCookie('sessionid', { path: '/' });
    serializeCookies(response, neverSign);
    expect(setCookies(response)).toEqual(['sessionid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
  });

  it('percent-encodes values so they read back through request.cookies', () => {
    const response = new HttpResponse().setCookie('msg', 'a b;c=d,é');
    serializeCookies(response, neverSign);
    const line = setCookies(response)[0]!;
    expect(line).toBe('msg=a%20b%3Bc%3Dd%2C%C3%A9; Path=/');
    const request = new HttpRequest({ method: 'GET', url: '/', headers: { cookie: line.split(';')[0]! }, body: null });
    expect(request.cookies['msg']).toBe('a b;c=d,é');
  });

  it('signs cookies queued with setSignedCookie through the given function', () => {
    const key = 's'.repeat(50);
    const calls: Array<[string, string, string]> = [];
    const sign = (name: string, value: string, salt: string): string => {
      calls.push([name, value, salt]);
      return new Signer({ key, salt: `${name}${salt}` }).sign(value);
    };
    const response = new HttpResponse().setSignedCookie('cart', '3 items', { salt: 'shop', httpOnly: true }).setCookie('plain', 'x');
    serializeCookies(response, sign);
    expect(calls).toEqual([['cart', '3 items', 'shop']]);
    const [signedLine, plainLine] = setCookies(response);
    expect(signedLine).toMatch(/^cart=3%20items%3A[A-Za-z0-9_-]{43}; Path=\/; HttpOnly$/);
    expect(plainLine).toBe('plain=x; Path=/');
    const request = new HttpRequest({ method: 'GET', url: '/', headers: { cookie: signedLine!.split(';')[0]! }, body: null });
    expect(new Signer({ key, salt: 'cartshop' }).unsign(request.cookies['cart']!)).toBe('3 items');
  });

  it('rejects an invalid cookie name with a clear TypeError and adds no header', () => {
    for (const name of ['', 'a b', 'a=b', 'a;b', 'a,b', '"q"', 'é', 'a\nb']) {
      const response = new HttpResponse().setCookie('good', '1').setCookie(name, 'v');
      expect(() => serializeCookies(response, neverSign), JSON.stringify(name)).toThrow(TypeError);
      expect(setCookies(response)).toEqual([]);
    }
    expect(() => serializeCookie('a b', 'v')).toThrow(/Invalid cookie name "a b": a cookie name must be a non-empty RFC 6265 token/);
  });

  it('rejects invalid attributes naming the cookie', () => {
    expect(() => serializeCookie('a', 'v', { domain: 'bad domain' })).toThrow(/Cannot set cookie 'a': option domain is invalid/);
    expect(() => serializeCookie('a', 'v', { path: '/x;y' })).toThrow(/Cannot set cookie 'a': option path is invalid/);
    expect(() => serializeCookie('a', 'v', { expires: new Date(Number.NaN) })).toThrow(/option expires is invalid/);
    expect(() => serializeCookie('a', '\uD800')).toThrow(/Cannot set cookie 'a'/);
    expect(() => serializeCookie('a', 'v', { sameSite: 'none' })).toThrow(/SameSite=None without Secure/);
    expect(serializeCookie('a', 'v', { maxAge: 90.7 })).toBe('a=v; Max-Age=90; Path=/');
  });
});
