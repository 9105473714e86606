import { isIP } from 'node:net';
import { InvalidAddrPort } from '../errors.js';

export interface AddrPort {
  /** Host to listen on: an IPv4/IPv6 address or a host name (IPv6 without brackets). */
  host: string;
  port: number;
}

export const DEFAULT_ADDRPORT: AddrPort = { host: '127.0.0.1', port: 8000 };

/**
 * Parse runserver's optional `[addr:]port` argument the way Django does:
 * a bare port, `host:port`, or `[ipv6]:port` (also a bare `[ipv6]`, keeping port 8000).
 * @example parseAddrPort('8001') // { host: '127.0.0.1', port: 8001 }
 * @example parseAddrPort('[::1]:8000') // { host: '::1', port: 8000 }
 */
export function parseAddrPort(input: string | undefined): AddrPort {
  if (input === undefined || input.trim() === '') return { ...DEFAULT_ADDRPORT };
  const value = input.trim();
  if (/^\d+$/.test(value)) return { host: DEFAULT_ADDRPORT.host, port: parsePort(value, input) };

  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    const host = bracketed[1]!;
    if (isIP(host) !== 6) throw new InvalidAddrPort(input, `'${host}' inside brackets is not an IPv6 address`);
    return { host, port: bracketed[2] === undefined ? DEFAULT_ADDRPORT.port : parsePort(bracketed[2], input) };
  }
  if (isIP(value) === 6) {
    throw new InvalidAddrPort(input, 'write an IPv6 address in brackets, e.g. [::1]:8000');
  }

  const colon = value.lastIndexOf(':');
  const host = colon === -1 ? value : value.slice(0, colon);
  const port = colon === -1 ? DEFAULT_ADDRPORT.port : parsePort(value.slice(colon + 1), input);
  if (!isValidHost(host)) throw new InvalidAddrPort(input, `'${host}' is not an IP address or host name`);
  return { host, port };
}

/**
 * The host as it appears in a URL (IPv6 in brackets).
 * @example urlHost('::1') // '[::1]'
 */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function parsePort(text: string, input: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new InvalidAddrPort(input, `port '${text}' is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new InvalidAddrPort(input, `port ${port} is outside 1-65535`);
  return port;
}

// RFC 1123 host names, or a dotted IPv4 address.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function isValidHost(host: string): boolean {
  if (isIP(host) === 4) return true;
  // A numeric-looking name that is not a valid IPv4 address (e.g. 300.1.1.1) is a typo, not a host name.
  if (/^[\d.]+$/.test(host)) return false;
  return HOST_NAME.test(host);
}
