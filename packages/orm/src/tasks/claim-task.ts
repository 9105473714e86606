import { sql } from 'kysely';
import { connection } from '../db/connections.js';
import { executor } from '../db/transaction.js';

export interface ClaimOptions {
  using: string;
  /** Queues to take from; null for every queue. */
  queues: readonly string[] | null;
  workerId: string;
  /** ms after which a run still 'running' is taken as abandoned (its worker was killed) and claimed again; null: never. */
  staleAfter?: number | null;
}

/**
 * Claim the next ready run (highest priority, then oldest) for this worker
 * in one statement, marking it running and counting the attempt; returns
 * its id, or null when nothing is ready. PostgreSQL picks the row with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for each other
 * nor take the same row; SQLite serialises writers, so the same UPDATE is
 * atomic there without it. The outer `status = 'queued'` keeps the claim
 * safe even where the subquery's row was taken meanwhile. With `staleAfter`,
 * a run left 'running' longer than that (its worker was killed) is claimed
 * again, counting another attempt.
 * @example const id = await claimTask({ using: 'default', queues: ['emails'], workerId: 'web-1:123:1' });
 */
export async function claimTask(options: ClaimOptions): Promise<number | null> {
  const { dialect } = connection(options.using);
  const now = new Date();
  const at = dialect === 'sqlite' ? now.toISOString() : now;
  const queues = options.queues === null || options.queues.length === 0 ? sql`` : sql`AND queue IN (${sql.join(options.queues)})`;
  const lock = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const staleAfter = options.staleAfter ?? null;
  const cutoff = staleAfter === null ? null : new Date(now.getTime() - staleAfter);
  const claimable =
    cutoff === null
      ? sql`status = 'queued' AND run_after <= ${at}`
      : sql`((status = 'queued' AND run_after <= ${at}) OR (status = 'running' AND started_at < ${dialect === 'sqlite' ? cutoff.toISOString() : cutoff}))`;
  const result = await sql<{ id: number }>`
    UPDATE atrium_task
       SET status = 'running', attempts = attempts + 1, started_at = ${at}, worker_id = ${options.workerId}
     WHERE id = (
             SELECT id FROM atrium_task
              WHERE ${claimable} ${queues}
              ORDER BY priority DESC, run_after, id
              LIMIT 1 ${lock}
           )
       AND ${claimable}
 RETURNING id`.execute(executor(options.using));
  const id = result.rows[0]?.id;
  return id === undefined ? null : Number(id);
}
