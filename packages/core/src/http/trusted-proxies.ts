import { BlockList, isIP } from 'node:net';

/**
 * The TRUSTED_PROXIES setting compiled once: IPv4/IPv6 addresses and CIDR
 * ranges (`10.0.0.0/8`, `fd00::/8`). IPv4-mapped IPv6 peers
 * (`::ffff:10.1.2.3`, what a dual-stack socket reports) match the IPv4 entries.
 * @example trustedProxies(['127.0.0.1', '10.0.0.0/8']).has('::ffff:10.1.2.3') // true
 */
export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

const cache = new WeakMap<readonly string[], TrustedProxies>();
const NONE: TrustedProxies = { has: () => false, size: 0 };

/** The compiled list for a TRUSTED_PROXIES value, cached per value (settings are validated, so entries parse). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return NONE;
  let compiled = cache.get(entries);
  if (compiled === undefined) {
    compiled = compile(entries);
    cache.set(entries, compiled);
  }
  return compiled;
}

/**
 * Why a TRUSTED_PROXIES entry is not usable, or null when it is an IP address or CIDR range.
 * @example proxyEntryProblem('10.0.0.0/33') // 'the prefix length must be 0-32 for IPv4'
 */
export function proxyEntryProblem(entry: string): string | null {
  const [address = '', prefix, extra] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return "it is not an IP address or CIDR range such as '10.0.0.0/8' or 'fd00::/8'";
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `the prefix length must be 0-${max} for IPv${family}`;
  return null;
}

/**
 * An address as a socket or X-Forwarded-For reports it, reduced to a plain IP:
 * IPv4-mapped IPv6 to IPv4, brackets and an IPv4 port removed. Null when it is
 * no IP address at all (`unknown`, garbage).
 * @example normalizeAddress('::ffff:192.0.2.1') // '192.0.2.1'
 */
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  if (address.startsWith('[')) address = address.slice(1, address.indexOf(']') === -1 ? undefined : address.indexOf(']'));
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(':'));
  const family = isIP(address);
  if (family === 0) return null;
  if (family === 6 && /^::ffff:[\d.]+$/i.test(address)) return address.slice(7);
  return address.toLowerCase();
}

function compile(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.trim().split('/');
    if (prefix === undefined) {
      const plain = normalizeAddress(address) ?? address;
      list.addAddress(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
    } else {
      list.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return {
    size: entries.length,
    has(raw) {
      const address = normalizeAddress(raw);
      if (address === null) return false;
      return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
