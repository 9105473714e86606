import { sql } from 'kysely';
import type { Dialect } from '../fields/field.js';
import { connection } from '../db/connections.js';
import { MigrationEditor } from '../schema/migration-editor.js';
import type { MigrationGraph, MigrationKey } from './graph.js';
import { appliedState, statesBeforeEach } from './migration-states.js';
import type { Danger } from './operations/operation.js';
import type { PlanStep } from './plan.js';
import { unapplyOperations } from './run-operations.js';

/** A danger of one operation of a plan, with the size of the table it touches once measured. */
export interface PlannedDanger extends Danger {
  /** 'blog.0002_add_slug'. */
  readonly migration: string;
  /** The operation's description. */
  readonly operation: string;
  readonly backwards: boolean;
  /** Rows in the table now (0 when it does not exist yet); null when not measured. */
  readonly rows: number | null;
}

/** Tables with at least this many rows count as large for lock and rewrite warnings. */
export const LARGE_TABLE_ROWS = 10_000;
/** Counting stops here: "more than 100 000" is all a warning needs. */
const COUNT_LIMIT = 100_001;

/**
 * What a plan may do to a database on `dialect`, before it runs: each
 * operation's own dangers when applying (rewrites, locks, data loss — see
 * Operation.dangers), and for unapplying, the tables and columns the
 * reversal drops (found by running it in collect mode).
 * @example
 * const dangers = await planDangers(graph, plan, applied, 'postgres');
 */
export async function planDangers(graph: MigrationGraph, plan: readonly PlanStep[], applied: ReadonlySet<MigrationKey>, dialect: Dialect): Promise<PlannedDanger[]> {
  const out: PlannedDanger[] = [];
  const forwards = plan.filter((step) => !step.backwards);
  if (forwards.length > 0) {
    let state = appliedState(graph, applied);
    for (const { migration } of forwards) {
      for (const operation of migration.operations) {
        for (const danger of operation.dangers(dialect, state)) {
          out.push({ ...danger, migration: `${migration.appLabel}.${migration.name}`, operation: operation.describe(), backwards: false, rows: null });
        }
        const next = state.clone();
        operation.stateForwards(next);
        state = next;
      }
    }
  }
  const backwards = plan.filter((step) => step.backwards).map((step) => step.migration);
  if (backwards.length > 0) {
    const states = statesBeforeEach(graph, applied, backwards);
    for (const migration of backwards) {
      const key = `${migration.appLabel}.${migration.name}`;
      const editor = new MigrationEditor({ dialect });
      let mark = 0;
      await unapplyOperations(migration, states.get(migration)!, editor, {
        before: () => {
          mark = editor.effects.length;
        },
        after: (operation) => {
          for (const effect of editor.effects.slice(mark)) {
            if (effect.kind === 'dropTable') {
              out.push({
                kind: 'dataLoss',
                dataLoss: true,
                table: effect.table,
                message: `Unapplying ${key} drops table ${effect.table} with all its rows (${operation.describe()}).`,
                alternative: `Back the table up first: applying ${key} again recreates it empty.`,
                migration: key,
                operation: operation.describe(),
                backwards: true,
                rows: null,
              });
            } else if (effect.kind === 'dropColumn') {
              out.push({
                kind: 'dataLoss',
                dataLoss: true,
                table: effect.table,
                message: `Unapplying ${key} drops column ${effect.column} of ${effect.table} with its values (${operation.describe()}).`,
                alternative: `Back the data up first: applying ${key} again recreates the column without its values.`,
                migration: key,
                operation: operation.describe(),
                backwards: true,
                rows: null,
              });
            }
          }
        },
      });
    }
  }
  return out;
}

/** The dangers with the row count of each table (counted once per table, up to 100 001). */
export async function measureDangers(dangers: readonly PlannedDanger[], alias = 'default'): Promise<PlannedDanger[]> {
  const counts = new Map<string, number>();
  for (const danger of dangers) {
    if (!counts.has(danger.table)) counts.set(danger.table, await countRows(alias, danger.table));
  }
  return dangers.map((danger) => ({ ...danger, rows: counts.get(danger.table) ?? null }));
}

/** True when the danger destroys data that exists (or may exist: not measured). */
export function destroysData(danger: PlannedDanger): boolean {
  return danger.dataLoss && danger.rows !== 0;
}

/** True when a lock or rewrite warning matters: a large table, or one not measured. */
export function isSignificant(danger: PlannedDanger, largeRows = LARGE_TABLE_ROWS): boolean {
  return danger.dataLoss ? destroysData(danger) : danger.rows === null || danger.rows >= largeRows;
}

/** Two lines for a danger: what happens (with the table size when known), and the safer way. */
export function formatDanger(danger: PlannedDanger): [string, string] {
  const size = danger.rows === null ? '' : danger.rows >= COUNT_LIMIT ? ` [${danger.table}: over 100 000 rows]` : ` [${danger.table}: ${danger.rows} row${danger.rows === 1 ? '' : 's'}]`;
  return [`${danger.dataLoss ? 'DATA LOSS' : 'WARNING'}: ${danger.message}${size}`, `Safer: ${danger.alternative}`];
}

async function countRows(alias: string, table: string): Promise<number> {
  const { dialect, kysely } = connection(alias);
  const exists =
    dialect === 'sqlite'
      ? (await sql`select 1 from sqlite_master where type = 'table' and name = ${table}`.execute(kysely)).rows.length > 0
      : (await sql<{ found: string | null }>`select to_regclass(${table}) as found`.execute(kysely)).rows[0]?.found != null;
  if (!exists) return 0;
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from (select 1 from ${sql.table(table)} limit ${sql.lit(COUNT_LIMIT)}) as sample`.execute(kysely);
  return Number(rows[0]?.n ?? 0);
}
