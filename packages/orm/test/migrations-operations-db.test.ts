import { expect, it } from 'vitest';
import { migration, type Migration, type MigrationInput } from '../src/migrations/migration.js';
import { ops } from '../src/migrations/operations/index.js';
import { f } from '../src/migrations/state/spec-builders.js';
import { Q } from '../src/query/q.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { MigrationExecutor } from '../src/migrations/executor.js';
import { resolveTargets } from '../src/migrations/plan.js';
import { MigrationFailed } from '../src/migrations/migrate-errors.js';
import { forEachDatabase } from './support/databases.js';
import { columnsOf, constraintsOf, foreignKeysOf, indexesOf, tableExists } from './support/schema-introspection.js';

/**
 * The database half of every operation, forwards and backwards, on both
 * databases: each step checks the real schema and that rows survive.
 */
const history = (app: string): Migration[] => {
  const bound = (name: string, input: Omit<MigrationInput, 'dependencies'>, previous: string | null): Migration =>
    migration({ ...input, dependencies: previous ? [[app, previous]] : [] }).bind(app, name);
  return [
    bound(
      '0001_initial',
      {
        operations: [
          ops.createModel({ name: 'Author', fields: [['id', f.auto()], ['name', f.string({ maxLength: 50 })]] }),
          ops.createModel({ name: 'Tag', fields: [['id', f.auto()], ['name', f.string({ maxLength: 20 })]] }),
          ops.createModel({
            name: 'Post',
            fields: [
              ['id', f.auto()],
              ['title', f.string({ maxLength: 100, null: true })],
              ['author', f.foreignKey(`${app}.Author`, { onDelete: 'CASCADE' })],
              ['tags', f.manyToMany(`${app}.Tag`)],
            ],
          }),
        ],
      },
      null,
    ),
    bound('0002_renames', { operations: [ops.renameModel({ oldName: 'Post', newName: 'Article' }), ops.renameModel({ oldName: 'Tag', newName: 'Label' })] }, '0001_initial'),
    bound('0003_table', { operations: [ops.alterModelTable({ name: 'Article', table: `${app}_articles` }), ops.renameField({ model: 'Article', oldName: 'tags', newName: 'labels' })] }, '0002_renames'),
    bound(
      '0004_columns',
      {
        operations: [
          ops.addField({ model: 'Article', name: 'slug', field: f.slug(), backfill: 'draft' }),
          ops.alterField({ model: 'Article', name: 'title', field: f.string({ maxLength: 200 }), backfill: 'untitled' }),
          ops.renameField({ model: 'Article', oldName: 'author', newName: 'writer' }),
          ops.addIndex({ model: 'Article', index: { name: `${app}_article_slug_title`, fields: ['slug', 'title'] } }),
          ops.addConstraint({ model: 'Article', constraint: { kind: 'check', name: `${app}_article_title_set`, condition: Q.not({ title: '' }) } }),
          ops.runSql({
            sql: { sqlite: `update ${app}_articles set slug = 'lite'`, postgres: [`update ${app}_articles set slug = 'pg'`] },
            reverseSql: [],
          }),
        ],
      },
      '0003_table',
    ),
    bound('0005_drop', { operations: [ops.removeIndex({ model: 'Article', name: `${app}_article_slug_title` }), ops.removeField({ model: 'Article', name: 'slug' })] }, '0004_columns'),
  ];
};

forEachDatabase('operations on the database', (ctx) => {
  it('forwards and backwards, keeping rows', async () => {
    const app = `op${ctx.dialect === 'sqlite' ? 's' : 'p'}`;
    const migrations = history(app);
    const executor = new MigrationExecutor(MigrationLoader.fromMigrations(migrations));
    const to = (target?: string) => executor.migrate(resolveTargets(executor.loader.graph, target === undefined ? undefined : app, target), { allowDataLoss: true });
    const db = ctx.kysely;
    const columns = async (table: string) => (await columnsOf(db, ctx.dialect, table)).map((c) => c.name).sort();

    await to('0001');
    const { id: author } = await db.insertInto(`${app}_author`).values({ name: 'ann' }).returning('id').executeTakeFirstOrThrow();
    const { id: tag } = await db.insertInto(`${app}_tag`).values({ name: 'orm' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto(`${app}_post`).values([{ title: 'one', author_id: author }, { title: null, author_id: author }]).execute();
    await db.insertInto(`${app}_post_tags`).values({ post_id: 1, tag_id: tag }).execute();

    // RenameModel: tables, join table and its key columns follow.
    await to('0002');
    expect(await tableExists(db, ctx.dialect, `${app}_post`)).toBe(false);
    expect(await columns(`${app}_article_tags`)).toEqual(['article_id', 'id', 'label_id']);
    expect(await db.selectFrom(`${app}_article_tags`).select(['article_id', 'label_id']).execute()).toEqual([{ article_id: 1, label_id: tag }]);
    expect(await foreignKeysOf(db, ctx.dialect, `${app}_article_tags`)).toEqual([`article_id->${app}_article.id`, `label_id->${app}_label.id`]);

    // AlterModelTable and a many-to-many RenameField: join tables follow.
    await to('0003');
    expect(await tableExists(db, ctx.dialect, `${app}_articles_labels`)).toBe(true);
    expect(await db.selectFrom(`${app}_articles_labels`).select(['article_id', 'label_id']).execute()).toEqual([{ article_id: 1, label_id: tag }]);

    // AddField with a backfill, AlterField to NOT NULL filling NULLs, RenameField, AddIndex, AddConstraint, RunSQL per dialect.
    await to('0004');
    expect(await columns(`${app}_articles`)).toEqual(['id', 'slug', 'title', 'writer_id']);
    const slug = ctx.dialect === 'sqlite' ? 'lite' : 'pg';
    expect(await db.selectFrom(`${app}_articles`).select(['title', 'slug', 'writer_id']).orderBy('id').execute()).toEqual([
      { title: 'one', slug, writer_id: author },
      { title: 'untitled', slug, writer_id: author },
    ]);
    expect((await columnsOf(db, ctx.dialect, `${app}_articles`)).find((c) => c.name === 'title')!.notNull).toBe(true);
    expect(await indexesOf(db, ctx.dialect, `${app}_articles`)).toContain(`${app}_article_slug_title`);
    expect(await constraintsOf(db, ctx.dialect, `${app}_articles`)).toContain(`${app}_article_title_set`);
    await expect(db.insertInto(`${app}_articles`).values({ title: '', slug: 'x', writer_id: author }).execute()).rejects.toThrow();

    // RemoveIndex, RemoveField; backwards re-adds the NOT NULL column with an empty value.
    await to('0005');
    expect(await columns(`${app}_articles`)).toEqual(['id', 'title', 'writer_id']);
    await to('0004');
    expect(await db.selectFrom(`${app}_articles`).select('slug').execute()).toEqual([{ slug: '' }, { slug: '' }]);

    // All the way back: every step reverses, rows that could be kept are kept.
    await to('0001');
    expect(await columns(`${app}_post`)).toEqual(['author_id', 'id', 'title']);
    expect(await db.selectFrom(`${app}_post`).select(['title']).orderBy('id').execute()).toEqual([{ title: 'one' }, { title: 'untitled' }]);
    expect(await db.selectFrom(`${app}_post_tags`).select(['post_id', 'tag_id']).execute()).toEqual([{ post_id: 1, tag_id: tag }]);
    await to('zero');
    expect(await tableExists(db, ctx.dialect, `${app}_author`)).toBe(false);
    expect(await tableExists(db, ctx.dialect, `${app}_post_tags`)).toBe(false);
  });

  it('RunCode gets historical models whose relations work (forward, reverse, many-to-many)', async () => {
    const app = `hc${ctx.dialect === 'sqlite' ? 's' : 'p'}`;
    const seen: Record<string, unknown> = {};
    const migrations = [
      migration({
        operations: [
          ops.createModel({ name: 'Author', fields: [['id', f.auto()], ['name', f.string({ maxLength: 50 })]] }),
          ops.createModel({ name: 'Tag', fields: [['id', f.auto()], ['name', f.string({ maxLength: 20 })]] }),
          ops.createModel({
            name: 'Post',
            fields: [
              ['id', f.auto()],
              ['title', f.string({ maxLength: 100 })],
              ['author', f.foreignKey(`${app}.Author`, { onDelete: 'CASCADE', relatedName: 'posts' })],
              ['tags', f.manyToMany(`${app}.Tag`, { relatedName: 'posts' })],
            ],
          }),
        ],
      }).bind(app, '0001_initial'),
      migration({
        dependencies: [[app, '0001_initial']],
        operations: [
          ops.runCode({
            forward: async (models) => {
              const Author = models.get(`${app}.Author`);
              const Post = models.get(`${app}.Post`);
              const Tag = models.get(`${app}.Tag`);
              type Row = Record<string, any>;
              const ann = (await Author.objects.create({ name: 'ann' } as never)) as Row;
              const orm = (await Tag.objects.create({ name: 'orm' } as never)) as Row;
              const post = (await Post.objects.create({ title: 'hello', author: ann } as never)) as Row;
              await post['tags'].add(orm);
              seen['byAuthor'] = ((await Post.objects.filter({ author: { name: 'ann' } } as never)) as Row[]).map((p) => p['title']);
              seen['byTag'] = ((await Post.objects.filter({ tags: { name: 'orm' } } as never)) as Row[]).map((p) => p['title']);
              seen['reverse'] = await (ann['posts'] as { count(): Promise<number> }).count();
              seen['fields'] = Post.meta.fields.map((field) => field.name);
            },
            backward: ops.noop,
          }),
        ],
      }).bind(app, '0002_data'),
    ];
    const executor = new MigrationExecutor(MigrationLoader.fromMigrations(migrations));
    await executor.migrate(resolveTargets(executor.loader.graph));
    expect(seen).toEqual({ byAuthor: ['hello'], byTag: ['hello'], reverse: 1, fields: ['id', 'title', 'author', 'tags'] });
    expect(await ctx.kysely.selectFrom(`${app}_post_tags`).select(['post_id', 'tag_id']).execute()).toEqual([{ post_id: 1, tag_id: 1 }]);
  });

  it('a RunSQL without SQL for the dialect fails naming it, and changes nothing', async () => {
    const app = `rq${ctx.dialect === 'sqlite' ? 's' : 'p'}`;
    const broken = migration({
      operations: [ops.createModel({ name: 'Thing', fields: [['id', f.auto()]] }), ops.runSql({ sql: { sqlite: [] } })],
    }).bind(app, '0001_initial');
    const executor = new MigrationExecutor(MigrationLoader.fromMigrations([broken]));
    const error = await executor.migrate(resolveTargets(executor.loader.graph)).catch((e: unknown) => e);
    if (ctx.dialect === 'sqlite') {
      expect(error).toBeInstanceOf(Array);
      return;
    }
    expect(error).toBeInstanceOf(MigrationFailed);
    expect((error as Error).message).toContain('operation 2 of 2');
    expect((error as Error).message).toContain("RunSQL's sql has no statements for postgres");
    expect(await tableExists(ctx.kysely, ctx.dialect, `${app}_thing`)).toBe(false);
  });
});
