import type { IncomingMessage, ServerResponse } from 'node:http';
import { ImproperlyConfigured } from '../errors.js';
import type { AppContext } from '../app/context.js';

/**
 * A readiness check an app contributes under `extensions.readinessChecks`
 * (a record of name -> check): resolves when the app can serve, rejects with
 * the reason otherwise. The orm app checks the default database with `SELECT 1`.
 * @example defineApp({ label: 'search', extensions: { readinessChecks: { index: () => searchClient.ping() } } })
 */
export type ReadinessCheck = (context: AppContext) => Promise<unknown>;

/** How long one readiness check may take before it counts as failed. */
const READINESS_CHECK_TIMEOUT_MS = 3_000;

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** Where the probes answer (SERVER.healthPath / SERVER.readyPath; null turns one off). */
export interface ProbePaths {
  health: string | null;
  ready: string | null;
}

/**
 * Answer the liveness and readiness probes ahead of the application (no host
 * check, no middleware: load balancers probe by IP address). Liveness is 200
 * while the process serves; readiness runs every app's readiness checks and
 * answers 503 naming the failing ones (details go to `log`, not to the
 * network). Returns a function that answers and returns true when the request
 * is a probe, false otherwise.
 * @example const probe = healthProbes(app.context, { health: '/healthz', ready: '/readyz' }, console.error);
 */
export function healthProbes(context: AppContext, paths: ProbePaths, log: (line: string) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
  const checks = readinessChecks(context);
  // Almost no request is a probe: turn the others away on the character after
  // the '/' (compared here rather than in a helper: this runs on every request).
  // -1 for both when a path is too short to tell ('/'): then every URL is checked in full.
  const [a, b] = firstChars([paths.health, paths.ready]);
  const quick = a !== -1 || b !== -1;
  return (req, res) => {
    const url = req.url ?? '';
    if (quick) {
      const c = url.charCodeAt(1);
      if (c !== a && c !== b) return false;
    }
    if (paths.health !== null && isPath(url, paths.health)) {
      answer(res, 200, { status: 'ok' });
      return true;
    }
    if (paths.ready !== null && isPath(url, paths.ready)) {
      void runChecks(context, checks, log).then((failing) =>
        failing.length === 0 ? answer(res, 200, { status: 'ok' }) : answer(res, 503, { status: 'unavailable', failing }),
      );
      return true;
    }
    return false;
  };
}

/** The checks apps contribute, by `<app label>.<name>`. */
function readinessChecks(context: AppContext): Array<[string, ReadinessCheck]> {
  return context.apps.extensions<unknown>('readinessChecks').flatMap(({ app, value }) => {
    if (typeof value !== 'object' || value === null || !Object.values(value).every((check) => typeof check === 'function')) {
      throw new ImproperlyConfigured(`App '${app.label}' contributes extensions.readinessChecks that is not a record of functions; write { name: async (context) => { ... } }.`);
    }
    return Object.entries(value as Record<string, ReadinessCheck>).map(([name, check]): [string, ReadinessCheck] => [`${app.label}.${name}`, check]);
  });
}

/** Names of the checks that failed or timed out; each failure is logged with its reason. */
async function runChecks(context: AppContext, checks: Array<[string, ReadinessCheck]>, log: (line: string) => void): Promise<string[]> {
  const results = await Promise.all(
    checks.map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)), READINESS_CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([Promise.resolve().then(() => check(context)), timeout]);
        return null;
      } catch (error) {
        log(`[atrium] Readiness check ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        return name;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.filter((name): name is string => name !== null);
}

/**
 * The character codes after the leading '/' of `paths` (at most two; -1 for
 * an absent one), or [-1, -1] when a path is too short to have one.
 */
function firstChars(paths: ReadonlyArray<string | null>): [number, number] {
  const codes: number[] = [];
  for (const path of paths) {
    if (path === null) continue;
    if (path.length < 2) return [-1, -1];
    codes.push(path.charCodeAt(1));
  }
  const [a = -1, b = -1] = codes;
  return [a, b];
}

function isPath(url: string, path: string): boolean {
  return url.startsWith(path) && (url.length === path.length || url.charCodeAt(path.length) === 63); /* '?' */
}

function answer(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify(body));
}
