import { Agent, request } from 'node:http';

/**
 * HTTP clients that each keep one keep-alive connection to `manage serve`.
 * node:cluster deals out connections, not requests, so every request on one
 * connection is served by the worker that accepted it: a test that kills a
 * worker can tell the requests that worker was serving from everyone else's.
 */
export interface PinnedRequest {
  /** A label for summaries: 'read', 'write', 'slow-write'. */
  kind: string;
  method?: 'GET' | 'POST';
  path: string;
  /** A JSON body (sent with Content-Type: application/json). */
  json?: unknown;
}

export interface PinnedShot {
  kind: string;
  start: number;
  end: number;
  /** HTTP status, or 0 when no response came (reset, hang-up, timeout). */
  status: number;
  error?: string;
  /** False when the request did not go out on the pinned connection (it had closed). */
  sameConnection: boolean;
}

/** One keep-alive connection, named by the pid of the worker serving it. */
export class PinnedConnection {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #baseUrl: string;
  #opened = false;
  /** The worker serving this connection. */
  pid = 0;

  private constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** Connect and ask the worker for its pid (GET /api/pid/ of the robustness project). */
  static async open(baseUrl: string, timeoutMs = 10_000): Promise<PinnedConnection> {
    const connection = new PinnedConnection(baseUrl);
    const first = await connection.send({ kind: 'pid', path: '/api/pid/' }, timeoutMs);
    if (first.status !== 200) {
      connection.close();
      throw new Error(`GET /api/pid/ on a new connection to ${baseUrl} answered ${first.status || first.error}`);
    }
    connection.pid = (JSON.parse(first.body) as { pid: number }).pid;
    return connection;
  }

  /** Send one request on the pinned connection; never rejects (a failure is status 0). */
  send(shotRequest: PinnedRequest, timeoutMs = 15_000): Promise<PinnedShot & { body: string }> {
    const body = shotRequest.json === undefined ? undefined : JSON.stringify(shotRequest.json);
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const start = Date.now();
    const firstRequest = !this.#opened;
    this.#opened = true;
    return new Promise((done) => {
      let settled = false;
      const req = request(`${this.#baseUrl}${shotRequest.path}`, { agent: this.#agent, method: shotRequest.method ?? 'GET', headers, timeout: timeoutMs });
      // The first request opens the connection; every later one must reuse it.
      const sameConnection = (): boolean => firstRequest || req.reusedSocket;
      const finish = (status: number, text: string, error?: string): void => {
        if (settled) return;
        settled = true;
        done({ kind: shotRequest.kind, start, end: Date.now(), status, body: text, sameConnection: sameConnection(), ...(error === undefined ? {} : { error }) });
      };
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => finish(res.statusCode ?? 0, text));
        res.on('error', (error: NodeJS.ErrnoException) => finish(0, text, error.code ?? error.message));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => finish(0, '', error.code ?? error.message));
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export interface PinnedClient {
  readonly id: number;
  /** The worker serving the client's connection. */
  readonly pid: number;
  readonly shots: PinnedShot[];
  /** Why the client stopped early: its connection failed or closed. Null when it ran until stop(). */
  lost: string | null;
}

export interface PinnedLoadOptions {
  baseUrl: string;
  clients: number;
  /** Hard stop, whatever happens (every loop is bounded). */
  maxMs: number;
  /** Hard stop per client. */
  maxRequestsPerClient: number;
  /** Client `client`'s `n`-th request. */
  next(client: number, n: number): PinnedRequest;
}

/**
 * Closed-loop load from `clients` pinned connections. A client stops at the
 * first request its connection does not answer (an error, or the connection
 * closed so the request went out on a new one): from then on it could be
 * served by any worker, and the test could no longer say whose it was.
 * @example const load = await startPinnedLoad({ baseUrl, clients: 6, maxMs: 60_000, maxRequestsPerClient: 5_000, next: () => ({ kind: 'read', path: '/items/count/' }) });
 */
export async function startPinnedLoad(options: PinnedLoadOptions): Promise<{ clients: readonly PinnedClient[]; stop(): Promise<readonly PinnedClient[]> }> {
  // Open every connection before any load, so node:cluster deals them out in turn.
  const connections = await Promise.all(Array.from({ length: options.clients }, () => PinnedConnection.open(options.baseUrl)));
  const clients: PinnedClient[] = connections.map((connection, id) => ({ id, pid: connection.pid, shots: [], lost: null }));
  const deadline = Date.now() + options.maxMs;
  let stopped = false;
  const run = async (client: PinnedClient, connection: PinnedConnection): Promise<void> => {
    for (let n = 0; !stopped && Date.now() < deadline && n < options.maxRequestsPerClient; n++) {
      const { body: _body, ...shot } = await connection.send(options.next(client.id, n));
      client.shots.push(shot);
      if (shot.status === 0 || !shot.sameConnection) {
        client.lost = shot.status === 0 ? (shot.error ?? 'no response') : 'the connection closed; the request went out on a new one';
        break;
      }
    }
    connection.close();
  };
  const running = Promise.all(clients.map((client, i) => run(client, connections[i]!)));
  return {
    clients,
    stop: async () => {
      stopped = true;
      await running;
      return clients;
    },
  };
}
