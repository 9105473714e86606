import { redactUrl } from './test-database.js';

export type PostgresStatus = { ok: true } | { ok: false; reason: string };

let warned = false;

/**
 * What a per-engine test harness does when PostgreSQL did not answer
 * `probePostgres`: fail under ATRIUM_REQUIRE_POSTGRES=1 (CI must never skip
 * it silently), else print one warning per process. Returns the reason to put
 * in the skipped block's title, so the skip is visible in the report.
 */
export function skipUnreachablePostgres(status: { ok: false; reason: string }, url: string): string {
  const where = `PostgreSQL unreachable at ${redactUrl(url)}`;
  if (process.env['ATRIUM_REQUIRE_POSTGRES'] === '1') throw new Error(`${where} (${status.reason}) and ATRIUM_REQUIRE_POSTGRES=1`);
  if (!warned) {
    warned = true;
    console.warn(`${where}: skipping postgres tests (${status.reason})`);
  }
  return where;
}
