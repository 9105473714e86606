import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface LoadResult {
  ok: number;
  /** Non-2xx statuses, by status. */
  statuses: Record<number, number>;
  /** Network errors (reset, refused), by message. */
  errors: Record<string, number>;
  /** Which upstream answered (the `header` option's values), by value. */
  servedBy: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  /** Parallel keep-alive clients. */
  concurrency: number;
  /** Stop after this many requests in all (a bound, so a broken server cannot make the loop spin forever). */
  maxRequests: number;
  /** Response header whose value is tallied in servedBy. */
  header?: string;
  headers?: Record<string, string>;
  /** Pause between one client's requests (ms), so a loaded machine still has CPU left to boot workers. */
  pauseMs?: number;
  /** For an https: url with a self-signed test certificate: skip certificate verification. */
  insecureTls?: boolean;
}

/**
 * Drive `concurrency` keep-alive clients against `url` until `stop()` or
 * `maxRequests`; each request's outcome is counted, never retried, so a
 * request the server drops shows up in `errors`.
 * @example const load = startLoad({ url, concurrency: 8, maxRequests: 5000 }); ...; const result = await load.stop();
 */
export function startLoad(options: LoadOptions): { stop: () => Promise<LoadResult>; result: LoadResult; sent: () => number } {
  const secure = options.url.startsWith('https:');
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency, rejectUnauthorized: !options.insecureTls })
    : new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const send = secure ? httpsRequest : request;
  const result: LoadResult = { ok: 0, statuses: {}, errors: {}, servedBy: {} };
  let sent = 0;
  let stopping = false;
  const one = () =>
    new Promise<void>((done) => {
      sent++;
      const req = send(options.url, { agent, headers: options.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) result.ok++;
          else result.statuses[res.statusCode ?? 0] = (result.statuses[res.statusCode ?? 0] ?? 0) + 1;
          const by = options.header ? String(res.headers[options.header] ?? '-') : '';
          if (by) result.servedBy[by] = (result.servedBy[by] ?? 0) + 1;
          done();
        });
        res.on('error', (error) => {
          result.errors[error.message] = (result.errors[error.message] ?? 0) + 1;
          done();
        });
      });
      req.on('error', (error) => {
        result.errors[error.message] = (result.errors[error.message] ?? 0) + 1;
        done();
      });
      req.end();
    });
  const client = async () => {
    while (!stopping && sent < options.maxRequests) {
      await one();
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const clients = Array.from({ length: options.concurrency }, client);
  return {
    result,
    sent: () => sent,
    stop: async () => {
      stopping = true;
      await Promise.all(clients);
      agent.destroy();
      return result;
    },
  };
}
