/**
 * The whole cycle on each database: models v1 -> makemigrations -> migrate ->
 * rows -> models v2 (fields added, removed, renamed and altered, a foreign
 * key, a many-to-many field, an index) -> makemigrations -> migrate -> rows
 * kept -> migrate to zero -> forward again -> makemigrations finds nothing.
 */
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { makeMigrations } from '../src/migrations/make-migrations.js';
import { NonInteractiveQuestioner } from '../src/migrations/questioner/non-interactive-questioner.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { MigrationExecutor } from '../src/migrations/executor.js';
import { resolveTargets } from '../src/migrations/plan.js';
import { forEachDatabase } from './support/databases.js';
import { tempProject } from './support/migration-files.js';
import { columnsOf, foreignKeysOf, indexesOf, tableExists } from './support/schema-introspection.js';

const project = tempProject('atrium-round-trip-');
afterAll(() => project.cleanup());
const IMPORT_FROM = join(resolve(import.meta.dirname, '../src'), 'migrations/index.ts');

function modelsV1(app: string): AnyModel[] {
  const Author = model(`${app}.Author` as `${string}.${string}`, { name: f.string({ maxLength: 60 }) });
  const Post = model(`${app}.Post` as `${string}.${string}`, {
    title: f.string({ maxLength: 100 }),
    body: f.text(),
    views: f.integer({ null: true }),
    author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  });
  return [Author, Post] as AnyModel[];
}

function modelsV2(app: string): AnyModel[] {
  const Author = model(`${app}.Author` as `${string}.${string}`, { name: f.string({ maxLength: 60 }), email: f.email({ null: true }) });
  const Tag = model(`${app}.Tag` as `${string}.${string}`, { label: f.string({ maxLength: 30, unique: true }) });
  const Post = model(
    `${app}.Post` as `${string}.${string}`,
    {
      headline: f.string({ maxLength: 100 }),
      views: f.integer({ default: 0 }),
      author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
      editor: f.foreignKey(() => Author, { onDelete: 'SET_NULL', null: true, relatedName: 'edited' }),
      tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
    },
    { indexes: [{ fields: ['author', 'views'] }] },
  );
  return [Author, Tag, Post] as AnyModel[];
}

forEachDatabase('migrations round trip', (ctx) => {
  const label = ctx.dialect === 'sqlite' ? 'rtsq' : 'rtpg';
  const app = project.app(label);
  const apps = [app];
  const make = (models: AnyModel[], renames: string[] = []) =>
    makeMigrations({ apps, models, questioner: new NonInteractiveQuestioner({ renames }), importFrom: IMPORT_FROM });
  const migrateTo = async (appLabel?: string, target?: string) => {
    const loader = await MigrationLoader.load(apps);
    return new MigrationExecutor(loader).migrate(resolveTargets(loader.graph, appLabel, target), { allowDataLoss: true });
  };
  const table = (name: string) => `${label}_${name}`;

  it('v1: makemigrations writes the initial migration, migrate creates the tables', async () => {
    const made = await make(modelsV1(label));
    expect(made.map((m) => m.migration.name)).toEqual(['0001_initial']);
    expect((await migrateTo()).map((s) => s.migration.name)).toEqual(['0001_initial']);
    expect((await columnsOf(ctx.kysely, ctx.dialect, table('post'))).map((c) => c.name)).toEqual(['id', 'title', 'body', 'views', 'author_id']);

    const { id: ann } = await ctx.kysely.insertInto(table('author')).values({ name: 'Ann' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely
      .insertInto(table('post'))
      .values([
        { title: 'First', body: 'one', views: null, author_id: ann },
        { title: 'Second', body: 'two', views: 7, author_id: ann },
      ])
      .execute();
  });

  it('v2: the changes become one migration; migrate keeps every row', async () => {
    const made = await make(modelsV2(label), [`${label}.Post.title=headline`]);
    expect(made.map((m) => m.migration.name)).toHaveLength(1);
    const kinds = made[0]!.migration.operations.map((op) => op.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['addField', 'alterField', 'createModel', 'removeField', 'renameField', 'addIndex']));
    expect((await migrateTo()).map((s) => s.migration.name)).toEqual([made[0]!.migration.name]);

    const cols = await columnsOf(ctx.kysely, ctx.dialect, table('post'));
    expect(cols.map((c) => c.name).sort()).toEqual(['author_id', 'editor_id', 'headline', 'id', 'views']);
    expect(cols.find((c) => c.name === 'views')!.notNull).toBe(true);
    const posts = await ctx.kysely.selectFrom(table('post')).select(['headline', 'views', 'editor_id']).orderBy('id').execute();
    expect(posts.map((p) => ({ ...p, views: Number(p['views']) }))).toEqual([
      { headline: 'First', views: 0, editor_id: null },
      { headline: 'Second', views: 7, editor_id: null },
    ]);
    expect(await foreignKeysOf(ctx.kysely, ctx.dialect, table('post'))).toEqual([`author_id->${table('author')}.id`, `editor_id->${table('author')}.id`]);
    expect(await indexesOf(ctx.kysely, ctx.dialect, table('post'))).toEqual(expect.arrayContaining([`${table('post')}_author_views_idx`, `${table('post')}_editor_id_idx`]));
    // The many-to-many join table works.
    const { id: tag } = await ctx.kysely.insertInto(table('tag')).values({ label: 'news' }).returning('id').executeTakeFirstOrThrow();
    const [post] = await ctx.kysely.selectFrom(table('post')).select('id').orderBy('id').execute();
    await ctx.kysely.insertInto(table('post_tags')).values({ post_id: post!['id'], tag_id: tag }).execute();
    expect(await ctx.kysely.selectFrom(table('post_tags')).selectAll().execute()).toHaveLength(1);
    // makemigrations right after finds nothing.
    expect(await make(modelsV2(label))).toEqual([]);
  });

  it('migrate to zero removes everything; forward again rebuilds it', async () => {
    await migrateTo(label, 'zero');
    for (const name of ['author', 'post', 'tag', 'post_tags']) expect(await tableExists(ctx.kysely, ctx.dialect, table(name))).toBe(false);
    expect((await migrateTo()).map((s) => s.migration.name)).toHaveLength(2);
    for (const name of ['author', 'post', 'tag', 'post_tags']) expect(await tableExists(ctx.kysely, ctx.dialect, table(name))).toBe(true);
    expect(await make(modelsV2(label))).toEqual([]);
  });
});
