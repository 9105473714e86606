import type { HttpRequest } from '../http/request.js';
import { allowedHostMatcher, hostDomain } from '../middleware/common.js';
import type { RealtimeSettings } from './realtime-settings.js';

/** Decides whether a handshake's Origin may open a WebSocket; built once per application. */
export type OriginPolicy = (request: HttpRequest) => boolean;

/**
 * The Origin check of WebSocket handshakes. Browsers send cookies with a
 * cross-site WebSocket handshake and the same-origin policy does not apply
 * to WebSockets, so without this check any page could act as the logged-in
 * user (cross-site WebSocket hijacking). Allowed: the site's own origin,
 * an origin whose host is in ALLOWED_HOSTS (as Channels'
 * AllowedHostsOriginValidator does), or one listed in
 * WEBSOCKET_ALLOWED_ORIGINS ('https://*.example.com' for subdomains).
 * `Origin: null` is refused; a missing Origin only with WEBSOCKET_ALLOW_MISSING_ORIGIN.
 * @example const allowed = originPolicy(settings.ALLOWED_HOSTS, realtimeSettings(settings)); if (!allowed(request)) throw new PermissionDenied();
 */
export function originPolicy(allowedHosts: readonly string[], settings: RealtimeSettings): OriginPolicy {
  const hostAllowed = allowedHostMatcher(allowedHosts);
  const exact = new Set<string>();
  const wildcards: Array<{ scheme: string; suffix: string }> = [];
  for (const origin of settings.WEBSOCKET_ALLOWED_ORIGINS) {
    const lowered = origin.toLowerCase();
    const at = lowered.indexOf('://');
    const host = lowered.slice(at + 3);
    if (host.startsWith('*.')) wildcards.push({ scheme: lowered.slice(0, at), suffix: host.slice(1) });
    else exact.add(lowered);
  }
  return (request) => {
    const origin = request.header('origin');
    if (origin === undefined) return settings.WEBSOCKET_ALLOW_MISSING_ORIGIN;
    const lowered = origin.trim().toLowerCase();
    if (lowered === 'null' || lowered === '') return false;
    if (exact.has(lowered)) return true;
    if (request.host !== '' && lowered === `${request.scheme}://${request.host.toLowerCase()}`) return true;
    let parsed: URL;
    try {
      parsed = new URL(lowered);
    } catch {
      return false;
    }
    // An origin is scheme://host[:port]; anything with a path, user or query is not one.
    if (parsed.host === '' || `${parsed.protocol}//${parsed.host}` !== lowered.replace(/:(80|443)$/, '')) return false;
    const scheme = parsed.protocol.slice(0, -1);
    if (wildcards.some((w) => w.scheme === scheme && parsed.host.endsWith(w.suffix))) return true;
    const domain = hostDomain(parsed.host);
    return domain !== null && hostAllowed(domain);
  };
}
