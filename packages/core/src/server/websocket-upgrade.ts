import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { Application } from '../app/create-application.js';
import { respondOf } from '../app/application-gateway.js';
import { realtimeSettings } from '../realtime/realtime-settings.js';
import { WebSocketConnection } from '../realtime/websocket-connection.js';
import { markUpgrade, WebSocketAccept } from '../realtime/websocket-route.js';
import { NodeRequestSource } from './node-request-source.js';

/** The WebSockets of one server, for graceful shutdown. */
export interface WebSocketHub {
  /** Open connections. */
  readonly size: number;
  /** Refuse new handshakes (503), close every socket with 1001, and drop those still open at `deadline` (epoch ms). */
  close(deadline: number): Promise<void>;
}

/**
 * Answer the server's 'upgrade' requests: each handshake runs through the
 * application (middleware chain, router) like a GET; a WebSocket route
 * accepts it with WebSocketAccept and its consumer gets the socket, any
 * other response (403, 404, a login redirect) is written on the raw socket,
 * which is then closed.
 * @example const hub = attachWebSockets(server, app); ... await hub.close(Date.now() + 5000);
 */
export function attachWebSockets(server: Server, app: Application, log: (line: string) => void = defaultLog): WebSocketHub {
  const settings = realtimeSettings(app.context.settings);
  const connections = new Set<WebSocketConnection>();
  const alive = new WeakMap<WebSocket, boolean>();
  /** Set-Cookie lines the middleware added to a handshake, sent with the 101. */
  const extraHeaders = new WeakMap<IncomingMessage, string[]>();
  // ws (about 15 MB once loaded) is imported at the first handshake, so a server without WebSockets never pays for it.
  let wss: Promise<WebSocketServer> | null = null;
  const webSocketServer = (): Promise<WebSocketServer> =>
    (wss ??= import('ws').then(({ WebSocketServer }) => {
      const server = new WebSocketServer({ noServer: true, maxPayload: settings.WEBSOCKET_MAX_MESSAGE_SIZE, clientTracking: false });
      server.on('headers', (headers: string[], req: IncomingMessage) => {
        const extra = extraHeaders.get(req);
        if (extra) headers.push(...extra);
      });
      return server;
    }));
  let closing = false;
  const respond = respondOf(app);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (closing) {
      writeRaw(socket, 503, { 'retry-after': '1' }, 'The server is shutting down.\n');
      return;
    }
    const request = new HttpRequest(new NodeRequestSource(req));
    markUpgrade(request);
    const done = (response: HttpResponse): void => {
      if (!(response instanceof WebSocketAccept) || socket.destroyed) {
        writeResponseRaw(socket, response);
        return;
      }
      const cookies = response.headers.raw['set-cookie'];
      if (cookies !== undefined) extraHeaders.set(req, (Array.isArray(cookies) ? cookies : [String(cookies)]).map((c) => `Set-Cookie: ${c}`));
      void webSocketServer().then(
        (server) => {
          if (socket.destroyed) return;
          server.handleUpgrade(req, socket, head, (ws) => {
            const connection = new WebSocketConnection(ws, request, { maxBuffered: settings.WEBSOCKET_MAX_BUFFERED, log });
            connections.add(connection);
            alive.set(ws, true);
            ws.on('pong', () => alive.set(ws, true));
            void connection.closed.then(() => connections.delete(connection));
            startConsumer(response, request, connection, log);
          });
        },
        () => writeRaw(socket, 500, {}, 'Internal Server Error'),
      );
    };
    try {
      if (respond !== undefined) respond(request, done, undefined);
      else app.handle(request).then(done, () => writeRaw(socket, 500, {}, 'Internal Server Error'));
    } catch {
      writeRaw(socket, 500, {}, 'Internal Server Error');
    }
  });

  // Ping every interval; a peer that did not answer the last ping is gone (a dead NAT mapping, a sleeping laptop).
  const interval = settings.WEBSOCKET_PING_INTERVAL;
  const pinger =
    interval > 0
      ? setInterval(() => {
          for (const connection of connections) {
            const ws = connection.raw;
            if (alive.get(ws) === false) {
              connection.terminate();
              continue;
            }
            alive.set(ws, false);
            try {
              ws.ping();
            } catch {
              connection.terminate();
            }
          }
        }, interval).unref()
      : null;

  return {
    get size() {
      return connections.size;
    },
    async close(deadline) {
      closing = true;
      if (pinger !== null) clearInterval(pinger);
      const open = [...connections];
      for (const connection of open) connection.close(1001, 'Server shutting down');
      await Promise.race([
        Promise.all(open.map((c) => c.closed)),
        new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
      ]);
      for (const connection of connections) connection.terminate();
      if (wss !== null) (await wss).close();
    },
  };
}

function startConsumer(accept: WebSocketAccept, request: HttpRequest, connection: WebSocketConnection, log: (line: string) => void): void {
  const fail = (error: unknown): void => {
    log(`WebSocket ${request.path}: the consumer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    connection.close(1011, 'Internal error');
  };
  try {
    const result = accept.consumer(request, connection, accept.params);
    if (result instanceof Promise) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}

/** Write a refused handshake's response on the raw socket and close it; bodies other than text or bytes are left out. */
function writeResponseRaw(socket: Duplex, response: HttpResponse): void {
  const body = typeof response.body === 'string' || response.body instanceof Uint8Array ? response.body : '';
  const status = response.status === 101 ? 500 : response.status;
  writeRaw(socket, status, response.headers.raw, body);
}

function writeRaw(socket: Duplex, status: number, headers: Readonly<Record<string, string | string[]>>, body: string | Uint8Array): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'content-length' || name === 'connection' || name === 'transfer-encoding') continue;
    for (const line of Array.isArray(value) ? value : [value]) head += `${name}: ${line}\r\n`;
  }
  head += `content-length: ${bytes.byteLength}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), bytes]));
}

function defaultLog(line: string): void {
  process.stderr.write(`[atrium] ${line}\n`);
}
