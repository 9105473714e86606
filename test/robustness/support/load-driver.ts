/**
 * Closed-loop HTTP load over real sockets: `concurrency` clients, each
 * sending its next request as soon as the previous one answered, until
 * stop() or the time limit. Every answer is recorded with its time, so a test
 * can look at what happened during an outage, a shutdown or a reload.
 */
export interface Shot {
  /** 'write' posts one row; 'read' counts rows; 'sleep' waits server-side. */
  kind: string;
  start: number;
  end: number;
  /** HTTP status, or 0 when the request failed without a whole answer (refused, reset, timeout). */
  status: number;
  error?: string;
  /** True once the status line and headers arrived (a failure after that was cut off mid-answer). */
  answerStarted: boolean;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  /** Hard stop, whatever happens (every loop is bounded). */
  maxMs: number;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** The request for client `client`'s `n`-th shot. */
  next(client: number, n: number): { kind: string; path: string; init?: RequestInit };
}

export class LoadDriver {
  readonly shots: Shot[] = [];
  #stopped = false;
  readonly done: Promise<void>;

  constructor(options: LoadOptions) {
    const deadline = Date.now() + options.maxMs;
    const client = async (id: number): Promise<void> => {
      for (let n = 0; !this.#stopped && Date.now() < deadline; n++) {
        const { kind, path, init } = options.next(id, n);
        const shot: Shot = { kind, start: Date.now(), end: 0, status: 0, answerStarted: false };
        try {
          const response = await fetch(`${options.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000) });
          shot.answerStarted = true;
          await response.arrayBuffer();
          shot.status = response.status;
        } catch (error) {
          shot.error = error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error);
          // A refused connection comes back at once; do not spin.
          await new Promise((wait) => setTimeout(wait, 20));
        }
        shot.end = Date.now();
        this.shots.push(shot);
      }
    };
    this.done = Promise.all(Array.from({ length: options.concurrency }, (_, id) => client(id))).then(() => undefined);
  }

  /** Stop sending and wait for the requests in flight. */
  async stop(): Promise<Shot[]> {
    this.#stopped = true;
    await this.done;
    return this.shots;
  }
}

/** A JSON POST that writes one row through the project's /api/items/. */
export function writeShot(title: string): { kind: string; path: string; init: RequestInit } {
  return { kind: 'write', path: '/api/items/', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) } };
}

/** Summarise statuses: { '201': 10, '503': 4, 'error': 1 }. */
export function statusCounts(shots: readonly Shot[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const shot of shots) {
    const key = shot.status === 0 ? `error (${shot.error ?? '?'})` : String(shot.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
