import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@atrium/orm/testing';
import { adminQuery, createTestProject, MANAGE, type TestProject } from '../support/project.js';
import { recordFault } from '../support/tally.js';

/**
 * `manage migrate` SIGKILLed in the middle of a migration, then rerun: each
 * migration is one transaction recorded inside it, so the killed one left no
 * trace (no column, no row, not recorded) and the rerun applies it whole.
 */
const SLOW_MIGRATION = `import { migration, ops, f } from '@atrium/orm/migrations';

export default migration({
  dependencies: [['items', '0001_initial']],
  operations: [
    ops.addField({ model: 'Item', name: 'note', field: f.string({ maxLength: 50, default: '' }), backfill: '' }),
    ops.runCode({
      forward: async (_models, db) => {
        await db.insertInto('items_item').values({ title: 'from-0002', note: 'x' }).execute();
        process.stdout.write('\\n[0002 wrote its row; sleeping]\\n');
        if (!process.env['ROBUST_MIGRATION_FAST']) await new Promise((done) => setTimeout(done, 5_000));
      },
      backward: async () => undefined,
    }),
  ],
});
`;

const projects: TestProject[] = [];
afterAll(async () => {
  for (const project of projects) await project.cleanup();
});

async function state(project: TestProject): Promise<{ hasColumn: boolean; rows: number; recorded: boolean }> {
  if (project.database['ENGINE'] === 'sqlite') {
    const db = new Database(join(project.dir, 'db.sqlite3'), { readonly: true });
    try {
      const columns = db.prepare("select name from pragma_table_info('items_item')").all() as Array<{ name: string }>;
      const hasColumn = columns.some((column) => column.name === 'note');
      const rows = (db.prepare("select count(*) as n from items_item where title = 'from-0002'").get() as { n: number }).n;
      const recorded = (db.prepare("select count(*) as n from atrium_migrations where name like '0002%'").get() as { n: number }).n > 0;
      return { hasColumn, rows, recorded };
    } finally {
      db.close();
    }
  }
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${String(project.database['NAME'])}`;
  const columns = await adminQuery(url.href, "select column_name from information_schema.columns where table_name = 'items_item' and column_name = 'note'");
  const rows = await adminQuery(url.href, "select count(*)::int as n from items_item where title = 'from-0002'");
  const recorded = await adminQuery(url.href, "select count(*)::int as n from atrium_migrations where name like '0002%'");
  return { hasColumn: columns.rowCount! > 0, rows: Number(rows.rows[0].n), recorded: Number(recorded.rows[0].n) > 0 };
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`migrate killed mid-way on ${engine}`, () => {
    it('leaves no trace of the killed migration, and a rerun applies it whole', async () => {
      let survived = false;
      try {
        const project = await createTestProject({ database: engine === 'sqlite' ? 'sqlite' : { postgres: testDatabaseUrl() } });
        projects.push(project);
        writeFileSync(join(project.dir, 'items/migrations/0002_slow.ts'), SLOW_MIGRATION);

        const child = spawn(process.execPath, [MANAGE, 'migrate'], { cwd: project.dir, env: project.env });
        let output = '';
        const killed = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
        await new Promise<void>((ready, fail) => {
          const timer = setTimeout(() => fail(new Error(`migrate never reached 0002:\n${output}`)), 60_000);
          const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            if (output.includes('[0002 wrote its row; sleeping]')) {
              clearTimeout(timer);
              ready();
            }
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
        });
        child.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');

        expect(await state(project)).toEqual({ hasColumn: false, rows: 0, recorded: false });

        const rerun = await project.manage(['migrate'], { env: { ROBUST_MIGRATION_FAST: '1' } });
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(rerun.stdout).toMatch(/Applying items\.0002_slow/);
        expect(await state(project)).toEqual({ hasColumn: true, rows: 1, recorded: true });
        const again = await project.manage(['migrate']);
        expect(again.code).toBe(0);
        expect(again.stdout).not.toMatch(/Applying/);
        survived = true;
      } finally {
        recordFault(`migrate SIGKILLed mid-way, then rerun (${engine})`, survived);
      }
    }, 180_000);
  });
}
