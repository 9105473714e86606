import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server, type AddressInfo, type Socket } from 'node:net';
import { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { NodeRequestSource } from './node-request-source.js';
import type { Application } from '../app/create-application.js';
import { respondOf, type RespondCallback } from '../app/application-gateway.js';
import { writeResponse } from './write-response.js';
import { TurnBudget } from './turn-budget.js';
import { attachWebSockets } from './websocket-upgrade.js';
import { EventStreamBody } from '../realtime/server-sent-events.js';
import type { AccessLog } from './access-log.js';
import { healthProbes } from './health-probes.js';
import { bodySize } from '../middleware/request-logging.js';

/** Status lines for node's parser errors; everything else is a 400. */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_URI_TOO_LONG: '414 URI Too Long',
};

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Listen on a Unix socket instead of host/port. */
  socketPath?: string;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully, then exit (default false). */
  handleSignals?: boolean;
  /** Called with one line for startup/shutdown events (and response timeouts, readiness failures). */
  log?: (line: string) => void;
  /** Answer 503 when the application takes longer than this many ms to produce a response (default: never). */
  responseTimeoutMs?: number;
  /** Write an access log line per response. */
  accessLog?: AccessLog;
  /** Called as each request arrives (`manage serve` counts them for --max-requests). */
  onRequest?: () => void;
  /**
   * On close, give idle keep-alive connections this many ms to end on their
   * own before closing them (default 0). Busy connections end after their
   * next response, which asks the client to close; closing an idle one races
   * with a client sending on it, so `manage serve` waits a little first.
   */
  drainIdleGraceMs?: number;
  /** Leave the Application open on close (several servers share it). */
  keepApplicationOpen?: boolean;
}

export interface RunningServer {
  readonly server: HttpServer;
  /** `http://host:port` (or the socket path). */
  readonly url: string;
  readonly port: number;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /**
   * Stop accepting connections, close idle keep-alive sockets, let in-flight
   * requests finish (up to `timeoutMs`, default SERVER.shutdownTimeout), then
   * close whatever is left.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** What `serve` counts: requests from arrival until their response is handed to node, or until a streamed body ends. */
export interface RequestTracker {
  begin(): void;
  end(): void;
  /** True once shutdown began: responses then ask the client to close the connection. */
  closing(): boolean;
  /** Called with the body of an `sse()` response being sent, so shutdown can end the stream. */
  eventStream?(body: EventStreamBody, res: ServerResponse): void;
}

/** What the request listener adds around the application (`manage serve` sets them). */
export interface RequestListenerOptions {
  /** Answer 503 (and log) when the application has not produced a response within this many ms; 0 or unset: never. */
  responseTimeoutMs?: number;
  /** One Common/Combined Log Format line per response. */
  accessLog?: AccessLog;
  /** Where the response-timeout line goes (default stderr). */
  log?: (line: string) => void;
}

/**
 * The node:http request listener for an Application. Requests start in
 * arrival order within SERVER.turnBudget ms per turn of the event loop (see
 * TurnBudget), so that a burst of new connections is accepted quickly.
 * @example createServer(createRequestListener(app)).listen(8000);
 */
export function createRequestListener(app: Application, track?: RequestTracker, options: RequestListenerOptions = {}) {
  return requestListener(app, track, options, null);
}

/** Answers a health probe and returns true, or returns false for any other request. */
type Probe = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * createRequestListener, with `probe` (serve's SERVER.healthPath/readyPath
 * probes) asked first. It is called from the listener rather than from a
 * wrapper around it: one function call less on every request.
 */
function requestListener(app: Application, track: RequestTracker | undefined, options: RequestListenerOptions, probe: Probe | null) {
  // Applications from createApplication answer through a callback: the
  // response is written as soon as it is final (within this call when no
  // layer awaited), without the promise of handle() and its microtask.
  const respond = respondOf(app);
  const { accessLog, responseTimeoutMs = 0 } = options;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // One callback for every request: the gateway hands back the request and
  // the ServerResponse (the token), so no closure is allocated per request.
  const done: RespondCallback<ServerResponse> = (response, request, res) => send(res, response, request, track, accessLog);
  const dispatch = (request: HttpRequest, res: ServerResponse, finish: RespondCallback<ServerResponse>): void => {
    try {
      if (respond !== undefined) {
        respond(request, finish, res);
        return;
      }
      app.handle(request).then(
        (response) => finish(response, request, res),
        () => fail(res, request, track, accessLog),
      );
    } catch {
      fail(res, request, track, accessLog);
    }
  };
  const budgetMs = app.context.settings.SERVER.turnBudget;
  const turns = budgetMs > 0 ? new TurnBudget(budgetMs) : null;
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (probe !== null && probe(req, res)) return;
    // Counted (and its response timeout started) on arrival, even when it waits for a later turn.
    track?.begin();
    const request = new HttpRequest(new NodeRequestSource(req));
    const finish = responseTimeoutMs > 0 ? withTimeout(res, request, track, accessLog, done, responseTimeoutMs, log) : done;
    if (turns === null) dispatch(request, res, finish);
    else turns.run(dispatch, request, res, finish);
  };
}

/**
 * Wrap `done` so that a response not ready within `ms` is answered with 503
 * (and logged) instead; the late response is then dropped. The view keeps
 * running (JavaScript cannot cancel it), but the client and the shutdown
 * drain no longer wait for it.
 */
function withTimeout(
  res: ServerResponse,
  request: HttpRequest,
  track: RequestTracker | undefined,
  accessLog: AccessLog | undefined,
  done: RespondCallback<ServerResponse>,
  ms: number,
  log: (line: string) => void,
): RespondCallback<ServerResponse> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    log(`[atrium] ${request.method} ${JSON.stringify(request.url)} got no response within ${ms} ms; answered 503 Service Unavailable.`);
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '19', connection: 'close', 'retry-after': '1' });
      res.end('Service Unavailable');
    }
    accessLog?.record(request, 503, '19');
    track?.end();
  }, ms);
  return (response, request, res) => {
    clearTimeout(timer);
    if (!timedOut) done(response, request, res);
  };
}

/** handle() failed, which it never should (errors become error pages): a bare 500. */
function fail(res: ServerResponse, request: HttpRequest, track: RequestTracker | undefined, accessLog: AccessLog | undefined): void {
  sendFailure(res);
  accessLog?.record(request, 500, '21');
  track?.end();
}

/** Write `response`; never throws (a response node refuses becomes a 500). */
function send(res: ServerResponse, response: HttpResponse, request: HttpRequest, track: RequestTracker | undefined, accessLog: AccessLog | undefined): void {
  let status = response.status;
  try {
    if (track?.closing()) response.headers.set('connection', 'close');
    writeResponse(res, response, request.method === 'HEAD');
  } catch (error) {
    // Node refused the response (an invalid header name or value): one bad
    // response must not become an uncaught error that ends the process.
    process.stderr.write(`[atrium] Could not send the response to ${request.method} ${JSON.stringify(request.url)}: ${error instanceof Error ? error.message : String(error)}\n`);
    sendFailure(res);
    status = 500;
  }
  accessLog?.record(request, status, status === response.status ? bodySize(response) : '21');
  if (track === undefined) return;
  if (response.body instanceof EventStreamBody) track.eventStream?.(response.body, res);
  // An in-memory body is in node's hands once end() ran (shutdown then waits
  // for socket buffers to flush), which saves a listener per request; a
  // streamed one is in flight until it closes. A response whose client left
  // is already closed.
  if (res.writableEnded || res.closed) track.end();
  else res.once('close', () => track.end());
}

/** A bare 500, or a reset when the status line already went out; never throws. */
function sendFailure(res: ServerResponse): void {
  try {
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '21' });
      res.end('Internal Server Error');
      return;
    }
  } catch {
    // Fall through to the reset.
  }
  res.destroy();
}

/**
 * Serve an Application over node:http with timeouts against slow clients and
 * graceful shutdown.
 * @example const server = await serve(app, { port: 8000, handleSignals: true });
 */
export async function serve(app: Application, options: ServeOptions = {}): Promise<RunningServer> {
  const limits = app.context.settings.SERVER;
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;
  const onRequest = options.onRequest;
  const track = {
    begin: onRequest
      ? () => {
          inFlight++;
          onRequest();
        }
      : () => void inFlight++,
    end: () => {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    },
    closing: () => closing,
    eventStream: (body: EventStreamBody, res: ServerResponse) => {
      eventStreams.add(body);
      res.once('close', () => eventStreams.delete(body));
    },
  };
  /** Bodies of sse() responses sent by this server: ended at shutdown, or it would wait for them until the grace time. */
  const eventStreams = new Set<EventStreamBody>();
  const server = createServer(
    {
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      maxHeaderSize: limits.maxHeaderSize,
      connectionsCheckingInterval: timeoutCheckInterval(limits.headersTimeout, limits.requestTimeout),
    },
    requestListener(app, track, listenerOptions(options), probes(app, options.log)),
  );
  // Open connections, for the flush step of close(): one entry per connection, nothing per request.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A malformed request gets a 400 on the socket; it must never become an uncaught error.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  // WebSocket handshakes run through the same application; see websocket-upgrade.ts.
  const websockets = attachWebSockets(server, app);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.socketPath) server.listen(options.socketPath, resolve);
    else server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? (address as AddressInfo).port : 0;
  const hostForUrl = options.host && options.host.includes(':') ? `[${options.host}]` : (options.host ?? '127.0.0.1');
  const url = options.socketPath ? `unix:${options.socketPath}` : `http://${hostForUrl}:${port}`;

  const close = async (timeoutMs = limits.shutdownTimeout): Promise<void> => {
    if (closing) return;
    closing = true;
    const deadline = Date.now() + timeoutMs;
    // net.Server's close stops accepting without http.Server's extra step of
    // closing idle keep-alive connections at once (done below, after the grace).
    const closed = new Promise<void>((resolve) => Server.prototype.close.call(server, () => resolve()));
    for (const body of eventStreams) body.end();
    eventStreams.clear();
    const grace = Math.min(options.drainIdleGraceMs ?? 0, timeoutMs);
    if (grace > 0) await waitUntil(() => sockets.size === 0, Date.now() + grace);
    // node counts a connection idle once its response is ended, even while
    // that response is still being sent to a slow reader, and closing it
    // then cuts the response short: wait for every socket to flush first.
    // Requests that arrive meanwhile are answered (with Connection: close).
    await waitUntil(() => allFlushed(sockets), deadline);
    // A request already waiting unread on a keep-alive connection makes it
    // busy once node reads it; reading happens after timers, so let one
    // round of I/O run before choosing the idle connections to close.
    await new Promise<void>((resolve) => setImmediate(resolve));
    server.closeIdleConnections();
    await websockets.close(deadline);
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
    // Responses handed to node may still sit in socket buffers (a slow
    // reader): let them reach the kernel before the connections are cut.
    await waitUntil(() => allFlushed(sockets), deadline);
    server.closeAllConnections();
    await closed;
    options.accessLog?.flush();
    if (!options.keepApplicationOpen) await app.close();
  };

  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      options.log?.(`Received ${signal}; finishing ${inFlight} in-flight request(s) before exit`);
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return {
    server,
    url,
    port,
    get inFlight() {
      return inFlight;
    },
    close,
  };
}

/**
 * How often node looks for connections past headersTimeout/requestTimeout.
 * Node's default is every 30 s whatever the timeouts, so a slow-header
 * client (slowloris) held a socket for up to timeout + 30 s, and a 2 s
 * headersTimeout was enforced after 30. A quarter of the shorter timeout
 * (at most 30 s, at least 100 ms) keeps the overrun under 25%.
 */
export function timeoutCheckInterval(headersTimeout: number, requestTimeout: number): number {
  return Math.min(30_000, Math.max(100, Math.floor(Math.min(headersTimeout, requestTimeout) / 4)));
}

function listenerOptions(options: ServeOptions): RequestListenerOptions {
  const out: RequestListenerOptions = {};
  if (options.responseTimeoutMs !== undefined) out.responseTimeoutMs = options.responseTimeoutMs;
  if (options.accessLog !== undefined) out.accessLog = options.accessLog;
  if (options.log !== undefined) out.log = options.log;
  return out;
}

/** The SERVER.healthPath/readyPath probes, or null when both are off. */
function probes(app: Application, log: ((line: string) => void) | undefined): Probe | null {
  const { healthPath, readyPath } = app.context.settings.SERVER;
  if (healthPath === null && readyPath === null) return null;
  return healthProbes(app.context, { health: healthPath, ready: readyPath }, log ?? ((line) => void process.stderr.write(`${line}\n`)));
}

/** True when no open socket holds response bytes that have not reached the kernel yet. */
function allFlushed(sockets: ReadonlySet<Socket>): boolean {
  for (const socket of sockets) {
    if (!socket.destroyed && socket.writableLength > 0) return false;
  }
  return true;
}

/**
 * Resolve once `done()` holds or `deadline` (epoch ms) passes. Checks first
 * after a macrotask, so that writes node queued for the next tick (it corks a
 * socket while a response is written) have been handed to the socket.
 */
async function waitUntil(done: () => boolean, deadline: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  while (!done() && Date.now() < deadline) {
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(5, Math.max(0, deadline - Date.now()))));
  }
}
