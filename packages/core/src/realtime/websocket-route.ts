import { ImproperlyConfigured, PermissionDenied } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import { path, type PathOptions, type RouteDefinition } from '../routing/path.js';
import type { RouteParams } from '../routing/types.js';
import type { WebSocketConnection } from './websocket-connection.js';
import { originPolicy, type OriginPolicy } from './websocket-origin.js';
import { realtimeSettings } from './realtime-settings.js';
import type { AppContext } from '../app/context.js';

/**
 * Serves one WebSocket. It runs after the handshake, with the handshake
 * request (session, `request.state.user` as the middleware left them), the
 * socket, and the route parameters. The socket stays open when it returns;
 * it is closed with 1011 when it throws.
 */
export type WebSocketConsumer<P = Record<string, unknown>> = (request: HttpRequest, socket: WebSocketConnection, params: P) => void | Promise<void>;

/**
 * What the router's view returns for an accepted handshake: the server
 * adapter completes the upgrade and starts the consumer. Middleware sees it
 * as a response (status 101) and may add cookies to the handshake.
 */
export class WebSocketAccept extends HttpResponse {
  constructor(
    readonly consumer: WebSocketConsumer,
    readonly params: Record<string, unknown>,
  ) {
    super(null, { status: 101 });
  }
}

/** Requests that arrived through the server's 'upgrade' event; the adapter marks them before dispatch. */
const upgrades = new WeakSet<HttpRequest>();

/** Mark `request` as a WebSocket handshake the adapter can complete. */
export function markUpgrade(request: HttpRequest): void {
  upgrades.add(request);
}

const policies = new WeakMap<AppContext, OriginPolicy>();

function policyFor(app: AppContext): OriginPolicy {
  let policy = policies.get(app);
  if (policy === undefined) {
    policy = originPolicy(app.settings.ALLOWED_HOSTS, realtimeSettings(app.settings));
    policies.set(app, policy);
  }
  return policy;
}

/**
 * A WebSocket route, in the same route table as `path()`: same patterns,
 * converters, names and `reverse()`. The handshake (a GET with
 * `Upgrade: websocket`) goes through the whole MIDDLEWARE chain like any GET,
 * so sessions, `request.state.user`, host validation and guards apply; a
 * foreign Origin is refused with 403 before the upgrade, and a plain GET
 * gets 426 Upgrade Required.
 * @example
 * websocket('chat/<slug:room>/', async (request, socket, { room }) => {
 *   for await (const message of socket) await socket.send(`${room}: ${String(message)}`);
 * }, { name: 'chat-socket' })
 */
export function websocket<P extends string>(pattern: P, consumer: WebSocketConsumer<RouteParams<P>>, options: Pick<PathOptions, 'name'> = {}): RouteDefinition {
  if (typeof consumer !== 'function') {
    throw new ImproperlyConfigured(`websocket('${pattern}') needs a consumer function (request, socket, params) as its second argument, got ${typeof consumer}.`);
  }
  const handshake = (request: HttpRequest, params: Record<string, unknown>): HttpResponse => {
    if (!upgrades.has(request) || request.header('upgrade')?.toLowerCase() !== 'websocket') {
      return new HttpResponse('This URL is a WebSocket endpoint; connect with a WebSocket client.\n', {
        status: 426,
        headers: { upgrade: 'websocket', connection: 'Upgrade', 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    if (!policyFor(request.app)(request)) {
      throw new PermissionDenied(
        `WebSocket handshake refused: Origin ${JSON.stringify(request.header('origin') ?? null)} is not this site, not in ALLOWED_HOSTS and not in WEBSOCKET_ALLOWED_ORIGINS.`,
        { code: 'E_WEBSOCKET_ORIGIN' },
      );
    }
    return new WebSocketAccept(consumer as WebSocketConsumer, params);
  };
  Object.defineProperty(handshake, 'viewName', { value: `websocket:${consumer.name || '(anonymous)'}` });
  return path(pattern, handshake as never, { ...options, methods: ['GET'] });
}
