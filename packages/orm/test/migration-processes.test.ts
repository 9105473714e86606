/**
 * Two `migrate` processes at once, and a `migrate` killed with SIGKILL in the
 * middle of a migration, on a SQLite file and on a PostgreSQL schema.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSettings } from '@atrium/core';
import { closeDatabases, configureDatabases, connection } from '../src/db/connections.js';
import { MigrationRecorder } from '../src/migrations/recorder.js';
import { LOCK_TABLE } from '../src/migrations/migration-lock.js';
import { adminQuery, postgresAvailable, postgresSettings } from './support/databases.js';
import { tempProject, type TempApp } from './support/migration-files.js';
import { tableExists } from './support/schema-introspection.js';

const CHILD = resolve(import.meta.dirname, 'support/migrate-child.ts');
const ALIAS = 'procs';

interface ChildRun {
  readonly child: ChildProcess;
  readonly events: Array<Record<string, unknown>>;
  /** Resolves with the exit code (null when killed). */
  readonly exit: Promise<number | null>;
  /** Resolves when an event matching `predicate` arrives. */
  until(predicate: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function runChild(database: DatabaseSettings, apps: readonly TempApp[]): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: resolve(import.meta.dirname, '../../..'),
    env: { ...process.env, ATRIUM_CHILD_DATABASE: JSON.stringify(database), ATRIUM_CHILD_APPS: JSON.stringify(apps.map(({ label, path }) => ({ label, path }))) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ predicate: (event: Record<string, unknown>) => boolean; resolve: (event: Record<string, unknown>) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    child,
    events,
    exit,
    until(predicate) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolvePromise, reject) => {
        waiters.push({ predicate, resolve: resolvePromise });
        void exit.then(() => reject(new Error(`child exited before the awaited event; events: ${JSON.stringify(events)}; stderr: ${stderr}`)));
      });
    },
  };
}

/** A history whose second migration takes a while (a long query), so a process can be caught in the middle of it. */
function writeHistory(app: TempApp): void {
  app.write('0001_initial', `{ initial: true, operations: [ops.createModel({ name: 'Account', fields: [['id', f.auto()], ['name', f.string({ maxLength: 40 })]] })] }`);
  app.write(
    '0002_ledger',
    `{
  dependencies: [['${app.label}', '0001_initial']],
  operations: [
    ops.createModel({ name: 'Entry', fields: [['id', f.auto()], ['account', f.foreignKey('${app.label}.Account', { onDelete: 'CASCADE' })], ['amount', f.integer()]] }),
    ops.addField({ model: 'Account', name: 'balance', field: f.integer({ default: 0 }) }),
    ops.runSql({
      sql: {
        sqlite: 'with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000000) select count(*) from c',
        postgres: 'select pg_sleep(1)',
      },
      reverseSql: [],
      description: 'a slow step',
    }),
  ],
}`,
  );
  app.write('0003_account_email', `{ dependencies: [['${app.label}', '0002_ledger']], operations: [ops.addField({ model: 'Account', name: 'email', field: f.email({ null: true }) })] }`);
}

interface Engine {
  readonly name: 'sqlite' | 'postgres';
  readonly available: () => boolean;
  setup(): Promise<DatabaseSettings>;
  teardown(): Promise<void>;
}

const project = tempProject('atrium-procs-');
let schema = '';
const engines: Engine[] = [
  {
    name: 'sqlite',
    available: () => true,
    async setup() {
      return { ENGINE: 'sqlite', NAME: join(project.root, `db-${randomBytes(3).toString('hex')}.sqlite3`), OPTIONS: {} };
    },
    async teardown() {},
  },
  {
    name: 'postgres',
    available: postgresAvailable,
    async setup() {
      schema = `atrium_procs_${process.pid}_${randomBytes(3).toString('hex')}`;
      await adminQuery(`create schema "${schema}"`);
      return postgresSettings(schema);
    },
    async teardown() {
      if (schema) await adminQuery(`drop schema if exists "${schema}" cascade`);
    },
  },
];

afterAll(() => project.cleanup());

for (const engine of engines) {
  describe.skipIf(!engine.available())(`migrate processes [${engine.name}]`, () => {
    let settings: DatabaseSettings;
    let counter = 0;
    beforeAll(async () => {
      settings = await engine.setup();
      configureDatabases({ [ALIAS]: settings }, project.root, { replace: true });
    });
    afterAll(async () => {
      await closeDatabases([ALIAS]);
      await engine.teardown();
    });
    const newApp = (): TempApp => {
      counter += 1;
      const app = project.app(`${engine.name === 'sqlite' ? 'sq' : 'pg'}proc${counter}`);
      writeHistory(app);
      return app;
    };
    const applied = async (label: string): Promise<string[]> => [...(await new MigrationRecorder(ALIAS).applied()).keys()].filter((k) => k.startsWith(`${label}.`));

    it('two migrate processes at once: one applies everything, the other waits and finds nothing to do', async () => {
      const app = newApp();
      const first = runChild(settings, [app]);
      const second = runChild(settings, [app]);
      const [a, b] = await Promise.all([first.exit, second.exit]);
      expect([a, b]).toEqual([0, 0]);
      const done = [first, second].map((run) => run.events.find((e) => e['event'] === 'done')!['applied'] as string[]);
      expect(done.map((list) => list.length).sort()).toEqual([0, 3]);
      expect(await applied(app.label)).toEqual([`${app.label}.0001_initial`, `${app.label}.0002_ledger`, `${app.label}.0003_account_email`]);
    }, 30_000);

    it('a migrate killed in the middle of a migration leaves it unapplied; running migrate again completes', async () => {
      const app = newApp();
      const victim = runChild(settings, [app]);
      await victim.until((e) => e['event'] === 'started' && e['key'] === `${app.label}.0002_ledger`);
      // 0002 is inside its transaction (the slow step); kill the process without any chance to clean up.
      await new Promise((r) => setTimeout(r, 50));
      victim.child.kill('SIGKILL');
      expect(await victim.exit).toBeNull();

      expect(await applied(app.label)).toEqual([`${app.label}.0001_initial`]);
      const { kysely } = connection(ALIAS);
      expect(await tableExists(kysely, engine.name, `${app.label}_account`)).toBe(true);
      expect(await tableExists(kysely, engine.name, `${app.label}_entry`)).toBe(false);
      if (engine.name === 'sqlite') {
        // The killed process's lock row is still there; the next migrate sees its process is gone.
        const rows = await kysely.selectFrom(LOCK_TABLE).select('pid').execute();
        expect(rows.map((r) => Number(r['pid']))).toEqual([victim.child.pid]);
      }

      const rerun = runChild(settings, [app]);
      expect(await rerun.exit).toBe(0);
      expect(rerun.events.find((e) => e['event'] === 'done')!['applied']).toEqual([`${app.label}.0002_ledger`, `${app.label}.0003_account_email`]);
      expect(await applied(app.label)).toEqual([`${app.label}.0001_initial`, `${app.label}.0002_ledger`, `${app.label}.0003_account_email`]);
      expect(await tableExists(kysely, engine.name, `${app.label}_entry`)).toBe(true);
    }, 30_000);
  });
}
