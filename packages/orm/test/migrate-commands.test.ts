import { PassThrough, Writable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { AppRegistry, type CommandContext, type Project } from '@atrium/core';
import { createMigrateCommand } from '../src/commands/migrate.js';
import { showmigrationsCommand } from '../src/commands/showmigrations.js';
import { sqlmigrateCommand } from '../src/commands/sqlmigrate.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { forEachDatabase } from './support/databases.js';
import { tempProject, type TempApp } from './support/migration-files.js';
import { tableExists } from './support/schema-introspection.js';

const project = tempProject('atrium-commands-');
afterAll(() => project.cleanup());

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

forEachDatabase('migrate commands', (ctx) => {
  let counter = 0;
  /** An app with a two-migration history, and a command context over it. */
  const setup = (): { app: TempApp; context: () => CommandContext & { stdout: Capture; stderr: Capture } } => {
    counter += 1;
    const app = project.app(`${ctx.dialect === 'sqlite' ? 'sq' : 'pg'}cmd${counter}`);
    app.write('0001_initial', `{ initial: true, operations: [ops.createModel({ name: 'Book', fields: [['id', f.auto()], ['title', f.string({ maxLength: 80 })]] })] }`);
    app.write(
      '0002_book_isbn',
      `{ dependencies: [['${app.label}', '0001_initial']], operations: [ops.addField({ model: 'Book', name: 'isbn', field: f.string({ maxLength: 13, null: true }) }), ops.addIndex({ model: 'Book', index: { name: '${app.label}_book_isbn_idx', fields: ['isbn'] } })] }`,
    );
    const apps = new AppRegistry([{ label: app.label, name: app.label, path: app.path, verboseName: app.label, middleware: {}, extensions: {} }]);
    const fakeProject = { context: { settings: { DATABASES: { default: { ENGINE: ctx.dialect, NAME: 'test', OPTIONS: {} } } }, apps } } as unknown as Project;
    return {
      app,
      context: () => ({ project: fakeProject, cwd: project.root, stdout: new Capture(), stderr: new Capture() }),
    };
  };
  const migrate = createMigrateCommand({ input: Object.assign(new (class extends Writable {})(), { isTTY: false }) as never });

  it('migrate applies with progress and timings; a second run has nothing to do', async () => {
    const { app, context } = setup();
    const first = context();
    expect(await migrate.run(first, [], {})).toBe(0);
    expect(first.stdout.text).toContain('Operations to perform:\n  Apply all migrations:');
    expect(first.stdout.text).toMatch(new RegExp(`  Applying ${app.label}\\.0001_initial\\.\\.\\. OK \\(\\d+ ms\\)\\n  Applying ${app.label}\\.0002_book_isbn\\.\\.\\. OK \\(\\d+ ms\\)`));
    const second = context();
    expect(await migrate.run(second, [], {})).toBe(0);
    expect(second.stdout.text).toContain('  No migrations to apply.');
    const quiet = context();
    expect(await migrate.run(quiet, [app.label, 'zero'], { quiet: true })).toBe(0);
    expect(quiet.stdout.text).toBe('');
    expect(await tableExists(ctx.kysely, ctx.dialect, `${app.label}_book`)).toBe(false);
  });

  it('showmigrations marks applied [X] and pending [ ]', async () => {
    const { app, context } = setup();
    await migrate.run(context(), [app.label, '0001'], {});
    const shown = context();
    expect(await showmigrationsCommand.run(shown, [app.label], {})).toBe(0);
    expect(shown.stdout.text).toBe(`${app.label}\n [X] 0001_initial\n [ ] 0002_book_isbn\n`);
    const plan = context();
    await showmigrationsCommand.run(plan, [app.label], { plan: true, verbose: true });
    expect(plan.stdout.text).toMatch(new RegExp(`^\\[X\\] ${app.label}\\.0001_initial \\(applied \\d{4}-`));
    expect(plan.stdout.text).toContain(`[ ] ${app.label}.0002_book_isbn ... (${app.label}.0001_initial)`);
  });

  it('sqlmigrate prints the SQL for the dialect, forwards and backwards', async () => {
    const { app, context } = setup();
    const loader = await MigrationLoader.load([app]);
    const [addField, addIndex] = loader.graph.migration(`${app.label}.0002_book_isbn`).operations.map((op) => op.describe());
    const out = context();
    expect(await sqlmigrateCommand.run(out, [app.label, '0002'], {})).toBe(0);
    expect(out.stdout.text).toBe(
      [
        'BEGIN;',
        '--',
        `-- ${addField}`,
        '--',
        `alter table "${app.label}_book" add column "isbn" varchar(13);`,
        '--',
        `-- ${addIndex}`,
        '--',
        `create index "${app.label}_book_isbn_idx" on "${app.label}_book" ("isbn");`,
        'COMMIT;',
        '',
      ].join('\n'),
    );
    const back = context();
    await sqlmigrateCommand.run(back, [app.label, '0002_book_isbn'], { backwards: true });
    expect(back.stdout.text).toContain(`drop index "${app.label}_book_isbn_idx";`);
    expect(back.stdout.text).toContain(`alter table "${app.label}_book" drop column "isbn";`);
  });

  it('refuses to destroy rows without --allow-data-loss (exit 3), and a bad target exits 2', async () => {
    const { app, context } = setup();
    await migrate.run(context(), [], {});
    await ctx.kysely.insertInto(`${app.label}_book`).values({ title: 'Dune', isbn: '9780441013593' }).execute();
    const refused = context();
    expect(await migrate.run(refused, [app.label, '0001'], {})).toBe(3);
    expect(refused.stderr.text).toMatch(/^Error: Migrating would destroy existing data:\n.*drops column isbn of .*_book with its values/);
    expect(refused.stderr.text).toContain('--allow-data-loss');
    const allowed = context();
    expect(await migrate.run(allowed, [app.label, '0001'], { allowDataLoss: true })).toBe(0);
    expect(allowed.stdout.text).toContain(`Unapplying ${app.label}.0002_book_isbn... OK`);
    expect(await ctx.kysely.selectFrom(`${app.label}_book`).select('title').execute()).toEqual([{ title: 'Dune' }]);
    const bad = context();
    expect(await migrate.run(bad, [app.label, '0009'], {})).toBe(2);
    expect(bad.stderr.text).toContain(`App '${app.label}' has no migration '0009'`);
  });

  it('asks on a terminal before destroying rows: yes goes ahead, anything else stops', async () => {
    const { app, context } = setup();
    await migrate.run(context(), [], {});
    await ctx.kysely.insertInto(`${app.label}_book`).values({ title: 'Emma', isbn: '9780141439587' }).execute();
    const terminal = (answer: string) => {
      const input = Object.assign(new PassThrough(), { isTTY: true });
      input.end(`${answer}\n`);
      return createMigrateCommand({ input });
    };
    const declined = context();
    expect(await terminal('no').run(declined, [app.label, '0001'], {})).toBe(3);
    expect(declined.stderr.text).toContain("Type 'yes' to continue");
    expect(declined.stderr.text).toContain('drops column isbn');
    const agreed = context();
    expect(await terminal('yes').run(agreed, [app.label, '0001'], {})).toBe(0);
    expect(agreed.stdout.text).toContain(`Unapplying ${app.label}.0002_book_isbn... OK`);
    // --noinput never asks.
    await migrate.run(context(), [], {});
    await ctx.kysely.updateTable(`${app.label}_book`).set({ isbn: '1' }).execute();
    expect(await terminal('yes').run(context(), [app.label, '0001'], { noinput: true })).toBe(3);
  });

  it('migrate --plan lists operations and dangers and changes nothing', async () => {
    const { app, context } = setup();
    await migrate.run(context(), [app.label, '0001'], {});
    const out = context();
    expect(await migrate.run(out, [], { plan: true })).toBe(0);
    expect(out.stdout.text).toContain(`Planned operations:\n${app.label}.0002_book_isbn\n    `);
    if (ctx.dialect === 'postgres') expect(out.stdout.text).toMatch(/WARNING: Creating index .* blocks writes .*\[.*_book: 0 rows\]\n +Safer: /);
    expect(await tableExists(ctx.kysely, ctx.dialect, `${app.label}_book`)).toBe(true);
    const shown = context();
    await showmigrationsCommand.run(shown, [app.label], {});
    expect(shown.stdout.text).toContain('[ ] 0002_book_isbn');
  });

  it('a failing migration ends its line with FAILED, names the operation and exits 1', async () => {
    const { app, context } = setup();
    app.write('0003_broken', `{ dependencies: [['${app.label}', '0002_book_isbn']], operations: [ops.runSql({ sql: 'select * from missing_table_x', reverseSql: [] })] }`);
    const out = context();
    expect(await migrate.run(out, [], {})).toBe(1);
    expect(out.stdout.text).toContain(`Applying ${app.label}.0003_broken... FAILED\n`);
    expect(out.stderr.text).toMatch(new RegExp(`^Error: Applying ${app.label}\\.0003_broken failed at operation 1 of 1 \\(.*\\): .*missing_table_x`));
    expect(out.stdout.text).toContain(`Applying ${app.label}.0002_book_isbn... OK`);
  });
});
