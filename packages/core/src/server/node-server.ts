import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpRequest } from '../http/request.js';
import type { Application } from '../app/create-application.js';
import { writeResponse } from './write-response.js';

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
  /** Called with one line for startup/shutdown events. */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly server: Server;
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

/** The node:http request listener for an Application. */
export function createRequestListener(app: Application, track?: { begin(): void; end(): void; closing(): boolean }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    track?.begin();
    res.once('close', () => track?.end());
    const request = new HttpRequest({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
      ...(req.socket.remoteAddress !== undefined ? { remoteAddress: req.socket.remoteAddress } : {}),
      encrypted: (req.socket as Socket & { encrypted?: boolean }).encrypted === true,
    });
    app.handle(request).then(
      (response) => {
        if (track?.closing()) response.headers.set('connection', 'close');
        writeResponse(res, response, request.method === 'HEAD');
      },
      // handle() converts errors to responses; reaching here means the error page itself failed.
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error');
      },
    );
  };
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
  const track = {
    begin: () => void inFlight++,
    end: () => {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    },
    closing: () => closing,
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      maxHeaderSize: limits.maxHeaderSize,
    },
    createRequestListener(app, track),
  );
  // A malformed request gets a 400 on the socket; it must never become an uncaught error.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

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
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
    server.closeAllConnections();
    await closed;
    await app.close();
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
