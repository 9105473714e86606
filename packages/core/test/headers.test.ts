import { afterEach, describe, expect, it } from 'vitest';
import { ResponseHeaders } from '../src/http/headers.js';
import { HttpResponse, json, text } from '../src/http/response.js';

describe('ResponseHeaders', () => {
  it('lower-cases names and joins repeated values', () => {
    const headers = new ResponseHeaders({ 'Content-Type': 'text/plain', 'X-Count': 3 });
    headers.append('Vary', 'Cookie').append('vary', 'Accept-Encoding');
    expect(headers.raw).toEqual({ 'content-type': 'text/plain', 'x-count': '3', vary: ['Cookie', 'Accept-Encoding'] });
    expect(headers.get('CONTENT-TYPE')).toBe('text/plain');
    expect(headers.get('Vary')).toBe('Cookie, Accept-Encoding');
    expect([...headers.entries()]).toEqual([
      ['content-type', 'text/plain'],
      ['x-count', '3'],
      ['vary', 'Cookie'],
      ['vary', 'Accept-Encoding'],
    ]);
  });

  it('setDefault keeps a value already set, under any case', () => {
    const headers = new ResponseHeaders({ 'X-Frame-Options': 'SAMEORIGIN' });
    headers.setDefault('x-frame-options', 'DENY').setDefault('Referrer-Policy', 'same-origin');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy')).toBe('same-origin');
    headers.delete('X-Frame-Options');
    expect(headers.has('x-frame-options')).toBe(false);
  });

  it('refuses line breaks in values from set, append, setDefault and the constructor', () => {
    const headers = new ResponseHeaders();
    expect(() => headers.set('x-a', 'one\r\nInjected: yes')).toThrow(/x-a contains a line break/);
    expect(() => headers.append('x-b', 'one\ntwo')).toThrow(TypeError);
    expect(() => headers.setDefault('x-c', 'one\rtwo')).toThrow(TypeError);
    expect(() => new ResponseHeaders({ 'x-d': 'one\ntwo' })).toThrow(/x-d contains a line break/);
    expect(() => new ResponseHeaders({ 'x-e': ['ok', 'bad\n'] })).toThrow(TypeError);
    expect(() => new HttpResponse('x', { headers: { location: '/a\r\nSet-Cookie: s=1' } })).toThrow(TypeError);
    expect(headers.raw).toEqual({});
  });

  it('finds a line break anywhere in a short or a long value, and lets tab, vertical tab and form feed through', () => {
    const headers = new ResponseHeaders();
    const long = 'v'.repeat(100);
    for (const bad of ['\n', '\r', 'a\n', '\ra', `${long}\n`, `\r${long}`, `${long}\r\n${long}`]) {
      expect(() => headers.set('x-bad', bad)).toThrow(/x-bad contains a line break/);
    }
    // Tab, vertical tab, form feed (9, 11, 12) and other bytes are for node to judge, not line breaks.
    for (const ok of ['a\tb', '\u000b', '\u000c', long, `${long}\t`, '']) headers.set('x-ok', ok);
    expect(headers.raw['x-ok']).toBe('');
    expect(headers.raw['x-bad']).toBeUndefined();
  });

  it('inherits nothing: constructor, toString and hasOwnProperty are not headers until set', () => {
    const headers = new ResponseHeaders();
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(headers.has(name)).toBe(false);
      expect(headers.get(name)).toBeUndefined();
      expect(headers.raw[name]).toBeUndefined();
      expect(name in headers.raw).toBe(false);
    }
    headers.setDefault('constructor', 'c');
    headers.set('toString', 't');
    expect(headers.get('constructor')).toBe('c');
    expect(headers.get('tostring')).toBe('t');
    expect(Object.keys(headers.raw)).toEqual(['constructor', 'tostring']);
  });

  it("stores a '__proto__' header as an ordinary header, without touching any prototype", () => {
    const headers = new ResponseHeaders();
    const prototypeBefore = Object.getPrototypeOf(headers.raw) as object;
    headers.set('__proto__', 'value');
    headers.append('__PROTO__', 'second');
    expect(headers.get('__proto__')).toBe('value, second');
    expect(Object.getPrototypeOf(headers.raw)).toBe(prototypeBefore);
    expect(Object.keys(headers.raw)).toEqual(['__proto__']);
    expect([...headers.entries()]).toEqual([
      ['__proto__', 'value'],
      ['__proto__', 'second'],
    ]);
    expect(({} as Record<string, unknown>)['value']).toBeUndefined();
    headers.delete('__proto__');
    expect(headers.has('__proto__')).toBe(false);
  });

  it("takes a '__proto__' key of an init object (JSON.parse makes one) as a header, not a prototype", () => {
    const init = JSON.parse('{"__proto__": "x", "Polluted": "y"}') as Record<string, string>;
    const headers = new ResponseHeaders(init);
    expect(headers.get('__proto__')).toBe('x');
    expect(headers.get('polluted')).toBe('y');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(headers.raw))).toBeNull();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  describe('with a polluted Object.prototype', () => {
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>)['x-polluted'];
    });

    it('neither sends nor reports inherited properties', () => {
      (Object.prototype as Record<string, unknown>)['x-polluted'] = 'evil';
      const headers = new ResponseHeaders({ 'content-type': 'text/plain' });
      expect(headers.has('x-polluted')).toBe(false);
      expect(headers.get('x-polluted')).toBeUndefined();
      headers.setDefault('x-polluted', 'mine');
      expect(headers.get('x-polluted')).toBe('mine');
      const fresh = new ResponseHeaders({ 'content-type': 'text/plain' });
      const seen: string[] = [];
      for (const name in fresh.raw) seen.push(name);
      expect(seen).toEqual(['content-type']);
    });
  });

  it('text(), json() and html() put Content-Type first and let init override it in any case', () => {
    expect(Object.keys(text('hi').headers.raw)).toEqual(['content-type']);
    expect(json({ a: 1 }).headers.get('content-type')).toBe('application/json');
    const custom = json({ a: 1 }, { status: 201, headers: { 'Content-Type': 'application/problem+json', 'X-Id': 7 } });
    expect(custom.status).toBe(201);
    expect(custom.headers.raw).toEqual({ 'content-type': 'application/problem+json', 'x-id': '7' });
    expect(json(undefined).body).toBe('null');
  });
});

describe('header names', () => {
  it('are lower-cased exactly as toLowerCase does, for ASCII and non-ASCII names, however many distinct names a program uses', () => {
    const headers = new ResponseHeaders();
    headers.set('X-Mixed-Case', 'a').set('x-mixed-case', 'b');
    expect(headers.raw).toEqual({ 'x-mixed-case': 'b' });
    // Beyond the names remembered, lower-casing still happens on every call.
    for (let i = 0; i < 600; i++) headers.set(`X-Name-${i}`, String(i));
    expect(headers.get('x-name-599')).toBe('599');
    expect(headers.get('X-NAME-0')).toBe('0');
    expect(headers.has('X-Name-600')).toBe(false);
    const long = `X-${'Long'.repeat(40)}`;
    headers.set(long, 'long');
    expect(headers.get(long.toLowerCase())).toBe('long');
    headers.set('X-\u0130', 'dotted');
    expect(Object.keys(headers.raw)).toContain('X-\u0130'.toLowerCase());
  });
});
