import { expect, it } from 'vitest';
import { migration, type Migration, type MigrationInput } from '../src/migrations/migration.js';
import { ops } from '../src/migrations/operations/index.js';
import { f } from '../src/migrations/state/spec-builders.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { MigrationExecutor } from '../src/migrations/executor.js';
import { resolveTargets } from '../src/migrations/plan.js';
import { migrationSql } from '../src/migrations/sql-preview.js';
import { DataLossRefused, MigrationFailed, MigrationLockTimeout } from '../src/migrations/migrate-errors.js';
import { acquireMigrationLock } from '../src/migrations/migration-lock.js';
import { IrreversibleOperation } from '../src/migrations/errors.js';
import { forEachDatabase } from './support/databases.js';
import { columnsOf, foreignKeysOf, indexesOf, tableExists } from './support/schema-introspection.js';

const bound = (app: string, name: string, input: MigrationInput): Migration => migration(input).bind(app, name);

/** A small blog history for app `app`: create, add a field with a data migration, then make it unique and NOT NULL. */
function blogHistory(app: string): Migration[] {
  return [
    bound(app, '0001_initial', {
      initial: true,
      operations: [
        ops.createModel({ name: 'Author', fields: [['id', f.auto()], ['name', f.string({ maxLength: 50 })]] }),
        ops.createModel({
          name: 'Post',
          fields: [
            ['id', f.auto()],
            ['title', f.string({ maxLength: 100 })],
            ['author', f.foreignKey(`${app}.Author`, { onDelete: 'CASCADE' })],
          ],
        }),
      ],
    }),
    bound(app, '0002_post_slug', {
      dependencies: [[app, '0001_initial']],
      operations: [
        ops.addField({ model: 'Post', name: 'slug', field: f.string({ maxLength: 120, null: true }) }),
        ops.runCode({
          description: 'slugs from titles',
          forward: async (models) => {
            const Post = models.get(`${app}.Post`);
            for (const post of (await Post.objects.all()) as Array<Record<string, unknown> & { save(): Promise<void> }>) {
              post['slug'] = String(post['title']).toLowerCase().replace(/\s+/g, '-');
              await post.save();
            }
          },
          backward: ops.noop,
        }),
        ops.alterField({ model: 'Post', name: 'slug', field: f.string({ maxLength: 120, unique: true }) }),
      ],
    }),
  ];
}

forEachDatabase('migration executor', (ctx) => {
  const executorFor = (migrations: Migration[]) => new MigrationExecutor(MigrationLoader.fromMigrations(migrations));

  it('applies a history in order, with a data migration on historical models, and records it', async () => {
    const migrations = blogHistory('ex1');
    const first = executorFor(migrations.slice(0, 1));
    const events: string[] = [];
    await first.migrate(resolveTargets(first.loader.graph), { progress: { started: (s) => events.push(`start ${s.migration.name}`), finished: (s) => events.push(`done ${s.migration.name}`) } });
    expect(events).toEqual(['start 0001_initial', 'done 0001_initial']);
    const { id: authorId } = await ctx.kysely.insertInto('ex1_author').values({ name: 'ann' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto('ex1_post').values([{ title: 'Hello World', author_id: authorId }, { title: 'Second Post', author_id: authorId }]).execute();

    const executor = executorFor(migrations);
    const ran = await executor.migrate(resolveTargets(executor.loader.graph));
    expect(ran.map((s) => s.migration.name)).toEqual(['0002_post_slug']);
    const posts = await ctx.kysely.selectFrom('ex1_post').select(['title', 'slug']).orderBy('id').execute();
    expect(posts).toEqual([
      { title: 'Hello World', slug: 'hello-world' },
      { title: 'Second Post', slug: 'second-post' },
    ]);
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'ex1_post')).find((c) => c.name === 'slug')!.notNull).toBe(true);
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex1.'))).toEqual(['ex1.0001_initial', 'ex1.0002_post_slug']);
    // Nothing left to do.
    expect(await executor.migrate(resolveTargets(executor.loader.graph))).toEqual([]);
  });

  it('rolls back to a target and to zero, refusing to destroy rows unless allowed', async () => {
    const executor = executorFor(blogHistory('ex2'));
    const graph = executor.loader.graph;
    await executor.migrate(resolveTargets(graph));
    const { id } = await ctx.kysely.insertInto('ex2_author').values({ name: 'bo' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto('ex2_post').values({ title: 'T', slug: 't', author_id: id }).execute();

    // Back to 0001: drops the slug column, which has values.
    await expect(executor.migrate(resolveTargets(graph, 'ex2', '0001'))).rejects.toThrow(DataLossRefused);
    await expect(executor.migrate(resolveTargets(graph, 'ex2', '0001'))).rejects.toThrow(/drops column slug of ex2_post/);
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'ex2_post')).map((c) => c.name)).toContain('slug');
    const asked: string[] = [];
    await executor.migrate(resolveTargets(graph, 'ex2', '0001'), {
      confirmDataLoss: async (dangers) => {
        asked.push(...dangers.map((d) => d.message));
        return true;
      },
    });
    expect(asked.some((m) => m.includes('slug'))).toBe(true);
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'ex2_post')).map((c) => c.name)).toEqual(['id', 'title', 'author_id']);
    expect(await ctx.kysely.selectFrom('ex2_post').select('title').execute()).toEqual([{ title: 'T' }]);

    await executor.migrate(resolveTargets(graph, 'ex2', 'zero'), { allowDataLoss: true });
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex2_post')).toBe(false);
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex2.'))).toEqual([]);

    // Forward again on empty tables, and back to zero: no rows, so no question.
    await executor.migrate(resolveTargets(graph));
    await executor.migrate(resolveTargets(graph, 'ex2', 'zero'));
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex2_author')).toBe(false);
  });

  it('rolls back a failing migration entirely and names the failing operation', async () => {
    const migrations = [
      bound('ex3', '0001_initial', { operations: [ops.createModel({ name: 'Tag', fields: [['id', f.auto()], ['label', f.string({ maxLength: 20 })]] })] }),
      bound('ex3', '0002_broken', {
        dependencies: [['ex3', '0001_initial']],
        operations: [
          ops.createModel({ name: 'Note', fields: [['id', f.auto()]] }),
          ops.addField({ model: 'Tag', name: 'weight', field: f.integer({ default: 1 }) }),
          ops.runSql({ sql: 'insert into no_such_table values (1)', reverseSql: [] }),
        ],
      }),
    ];
    const executor = executorFor(migrations);
    let error: unknown;
    try {
      await executor.migrate(resolveTargets(executor.loader.graph));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MigrationFailed);
    const failure = error as MigrationFailed;
    expect(failure.code).toBe('E_MIGRATION_FAILED');
    expect(failure.migration).toBe('ex3.0002_broken');
    expect(failure.operationIndex).toBe(3);
    expect(failure.message).toMatch(/^Applying ex3\.0002_broken failed at operation 3 of 3 \(.*\): .*no_such_table/);
    expect(failure.message).toContain('the database is as it was before');
    // 0001 committed; nothing of 0002 remains.
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex3_tag')).toBe(true);
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex3_note')).toBe(false);
    expect((await columnsOf(ctx.kysely, ctx.dialect, 'ex3_tag')).map((c) => c.name)).toEqual(['id', 'label']);
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex3.'))).toEqual(['ex3.0001_initial']);
  });

  it('refuses to unapply an irreversible migration before changing anything', async () => {
    const migrations = [
      bound('ex4', '0001_initial', { operations: [ops.createModel({ name: 'Item', fields: [['id', f.auto()]] })] }),
      bound('ex4', '0002_data', { dependencies: [['ex4', '0001_initial']], operations: [ops.runCode({ forward: () => undefined })] }),
    ];
    const executor = executorFor(migrations);
    await executor.migrate(resolveTargets(executor.loader.graph));
    await expect(executor.migrate(resolveTargets(executor.loader.graph, 'ex4', 'zero'))).rejects.toThrow(IrreversibleOperation);
    await expect(executor.migrate(resolveTargets(executor.loader.graph, 'ex4', 'zero'))).rejects.toThrow(/ex4\.0002_data cannot be unapplied: operation 1 \(Run code.*\) is irreversible/);
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex4.'))).toEqual(['ex4.0001_initial', 'ex4.0002_data']);
  });

  it('fakes: records without touching the schema', async () => {
    const executor = executorFor(blogHistory('ex5'));
    await executor.migrate(resolveTargets(executor.loader.graph), { fake: true });
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex5_post')).toBe(false);
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex5.'))).toEqual(['ex5.0001_initial', 'ex5.0002_post_slug']);
    await executor.migrate(resolveTargets(executor.loader.graph, 'ex5', 'zero'), { fake: true });
    expect([...(await executor.applied())].filter((k) => k.startsWith('ex5.'))).toEqual([]);
  });

  it('waits for the migration lock, then applies only what is left; of two concurrent migrates one does the work', async () => {
    const one = executorFor(blogHistory('ex6'));
    const two = executorFor(blogHistory('ex6'));
    const lock = await acquireMigrationLock('default');
    const waits: string[] = [];
    const waiting = two.migrate(resolveTargets(two.loader.graph), { progress: { waiting: (holder) => waits.push(holder) } });
    for (let i = 0; i < 200 && waits.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waits.length).toBe(1);
    expect([...(await one.applied())].filter((k) => k.startsWith('ex6.'))).toEqual([]);
    await lock.release();
    expect((await waiting).length).toBe(2);

    const three = executorFor(blogHistory('ex6b'));
    const four = executorFor(blogHistory('ex6b'));
    const [a, b] = await Promise.all([three.migrate(resolveTargets(three.loader.graph)), four.migrate(resolveTargets(four.loader.graph))]);
    expect([a.length, b.length].sort()).toEqual([0, 2]);
    expect([...(await three.applied())].filter((k) => k.startsWith('ex6b.'))).toEqual(['ex6b.0001_initial', 'ex6b.0002_post_slug']);
  });

  it('gives up waiting for the lock after the timeout, naming the holder', async () => {
    const executor = executorFor(blogHistory('ex8'));
    const lock = await acquireMigrationLock('default');
    try {
      await expect(executor.migrate(resolveTargets(executor.loader.graph), { lockTimeoutMs: 30 })).rejects.toThrow(MigrationLockTimeout);
      await expect(executor.migrate(resolveTargets(executor.loader.graph), { lockTimeoutMs: 30 })).rejects.toThrow(
        ctx.dialect === 'sqlite' ? `process ${process.pid}` : /server process \d+/,
      );
    } finally {
      await lock.release();
    }
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex8_post')).toBe(false);
  });

  it('renames a model: its table, the foreign keys and join tables pointing at it follow, rows stay; and back', async () => {
    const migrations = [
      bound('ex9', '0001_initial', {
        operations: [
          ops.createModel({ name: 'Tag', fields: [['id', f.auto()], ['label', f.string({ maxLength: 20, index: true })]] }),
          ops.createModel({
            name: 'Post',
            fields: [
              ['id', f.auto()],
              ['main', f.foreignKey('ex9.Tag', { onDelete: 'CASCADE', null: true })],
              ['tags', f.manyToMany('ex9.Tag')],
            ],
          }),
        ],
      }),
      bound('ex9', '0002_rename', { dependencies: [['ex9', '0001_initial']], operations: [ops.renameModel({ oldName: 'Tag', newName: 'Label' })] }),
    ];
    const executor = executorFor(migrations);
    const graph = executor.loader.graph;
    await executor.migrate(resolveTargets(graph, 'ex9', '0001'));
    const { id: tag } = await ctx.kysely.insertInto('ex9_tag').values({ label: 'x' }).returning('id').executeTakeFirstOrThrow();
    const { id: post } = await ctx.kysely.insertInto('ex9_post').values({ main_id: tag }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto('ex9_post_tags').values({ post_id: post, tag_id: tag }).execute();

    await executor.migrate(resolveTargets(graph));
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex9_tag')).toBe(false);
    expect(await ctx.kysely.selectFrom('ex9_label').select('label').execute()).toEqual([{ label: 'x' }]);
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'ex9_post')).toEqual(['main_id->ex9_label.id']);
    expect(await ctx.kysely.selectFrom('ex9_post_tags').select(['post_id', 'label_id']).execute()).toEqual([{ post_id: post, label_id: tag }]);
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, 'ex9_post_tags')).toEqual(['label_id->ex9_label.id', 'post_id->ex9_post.id']);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ex9_label')).toContain('ex9_label_label_idx');

    await executor.migrate(resolveTargets(graph, 'ex9', '0001'));
    expect(await ctx.kysely.selectFrom('ex9_post_tags').select(['post_id', 'tag_id']).execute()).toEqual([{ post_id: post, tag_id: tag }]);
    expect(await indexesOf(ctx.kysely, ctx.dialect, 'ex9_tag')).toContain('ex9_tag_label_idx');
  });

  it('shows the SQL of a migration, forwards and backwards, without a database', async () => {
    const graph = executorFor(blogHistory('ex7')).loader.graph;
    const forwards = (await migrationSql(graph, 'ex7.0002_post_slug', ctx.dialect)).join('\n');
    expect(forwards.startsWith('BEGIN;\n--\n-- ')).toBe(true);
    expect(forwards.endsWith('COMMIT;')).toBe(true);
    expect(forwards).toContain('Run code: slugs from titles');
    if (ctx.dialect === 'postgres') {
      expect(forwards).toContain('alter table "ex7_post" add column "slug" varchar(120);');
      expect(forwards).toContain('alter table "ex7_post" alter column "slug" set not null;');
      expect(forwards).toContain('alter table "ex7_post" add constraint "ex7_post_slug_key" unique ("slug");');
    } else {
      expect(forwards).toContain('alter table "ex7_post" add column "slug" varchar(120);');
      expect(forwards).toContain('create table "new__ex7_post"');
      expect(forwards).toContain('insert into "new__ex7_post" ("id", "title", "author_id", "slug") select "id", "title", "author_id", "slug" from "ex7_post";');
      expect(forwards).toContain('alter table "new__ex7_post" rename to "ex7_post";');
    }
    const backwards = (await migrationSql(graph, 'ex7.0001_initial', ctx.dialect, { backwards: true })).join('\n');
    expect(backwards).toMatch(/drop table "ex7_post"/);
    expect(await tableExists(ctx.kysely, ctx.dialect, 'ex7_post')).toBe(false);
  });
});
