import { describe, expect, it } from 'vitest';
import { parseAddrPort, urlHost } from '../src/runserver/addrport.js';
import { InvalidAddrPort } from '../src/errors.js';

describe('parseAddrPort', () => {
  it('defaults to 127.0.0.1:8000', () => {
    expect(parseAddrPort(undefined)).toEqual({ host: '127.0.0.1', port: 8000 });
    expect(parseAddrPort('')).toEqual({ host: '127.0.0.1', port: 8000 });
  });

  it('takes a bare port on the loopback address', () => {
    expect(parseAddrPort('8001')).toEqual({ host: '127.0.0.1', port: 8001 });
  });

  it('takes an IPv4 address with a port', () => {
    expect(parseAddrPort('0.0.0.0:8000')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(parseAddrPort('192.168.1.20:9000')).toEqual({ host: '192.168.1.20', port: 9000 });
  });

  it('takes a host name with or without a port', () => {
    expect(parseAddrPort('localhost:3000')).toEqual({ host: 'localhost', port: 3000 });
    expect(parseAddrPort('dev.example.com')).toEqual({ host: 'dev.example.com', port: 8000 });
  });

  it('takes IPv6 in brackets, with or without a port', () => {
    expect(parseAddrPort('[::1]:8000')).toEqual({ host: '::1', port: 8000 });
    expect(parseAddrPort('[::]:9001')).toEqual({ host: '::', port: 9001 });
    expect(parseAddrPort('[::1]')).toEqual({ host: '::1', port: 8000 });
  });

  it.each([
    ['abc:def', "port 'def' is not a number"],
    ['70000', 'port 70000 is outside 1-65535'],
    ['0', 'port 0 is outside 1-65535'],
    ['127.0.0.1:', "port '' is not a number"],
    ['300.1.1.1:80', "'300.1.1.1' is not an IP address or host name"],
    ['bad host:80', "'bad host' is not an IP address or host name"],
    ['[127.0.0.1]:80', "'127.0.0.1' inside brackets is not an IPv6 address"],
    ['::1', 'write an IPv6 address in brackets'],
  ])('refuses %s with a message saying why', (input, reason) => {
    let error: unknown;
    try {
      parseAddrPort(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidAddrPort);
    expect((error as InvalidAddrPort).code).toBe('E_INVALID_ADDRPORT');
    expect((error as Error).message).toContain(`'${input}' is not a valid address and port`);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain('Examples: 8001, 0.0.0.0:8000, [::1]:8000');
  });
});

describe('urlHost', () => {
  it('brackets IPv6 addresses only', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('localhost')).toBe('localhost');
  });
});
