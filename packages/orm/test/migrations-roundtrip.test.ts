import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { makeMigrations } from '../src/migrations/make-migrations.js';
import { MigrationLoader } from '../src/migrations/loader.js';
import { MigrationExecutor } from '../src/migrations/executor.js';
import { resolveTargets } from '../src/migrations/plan.js';
import { DataLossRefused } from '../src/migrations/migrate-errors.js';
import { NonInteractiveQuestioner } from '../src/migrations/questioner/non-interactive-questioner.js';
import { forEachDatabase } from './support/databases.js';
import { columnsOf, indexesOf, tableExists } from './support/schema-introspection.js';

const importFrom = pathToFileURL(resolve(import.meta.dirname, '../src/migrations/index.ts')).href;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const declare = (label: `${string}.${string}`, fields: Parameters<typeof model>[1], options: Parameters<typeof model>[2] = {}): AnyModel =>
  model(label, fields, { ...options, register: false }) as AnyModel;

/** Version 1 and version 2 of the models of app `app`. */
function versions(app: string) {
  const Author = declare(`${app}.Author`, { name: f.string({ maxLength: 100 }) });
  const Post = declare(`${app}.Post`, {
    titel: f.string({ maxLength: 100 }),
    body: f.text(),
    legacy: f.integer({ null: true }),
    author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  });
  const Author2 = declare(`${app}.Author`, { name: f.string({ maxLength: 100 }), email: f.email({ null: true }) });
  const Tag2 = declare(`${app}.Tag`, { name: f.string({ maxLength: 30, unique: true }) });
  const Post2 = declare(
    `${app}.Post`,
    {
      title: f.string({ maxLength: 200 }),
      body: f.text({ null: true }),
      author: f.foreignKey(() => Author2, { onDelete: 'CASCADE', relatedName: 'posts' }),
      editor: f.foreignKey(() => Author2, { onDelete: 'SET_NULL', null: true, relatedName: 'edited' }),
      tags: f.manyToMany(() => Tag2, { relatedName: 'posts' }),
      rating: f.integer({ default: 3 }),
      slug: f.slug(),
    },
    { indexes: [{ fields: ['title', 'rating'] }] },
  );
  return { v1: [Author, Post], v2: [Author2, Tag2, Post2] };
}

forEachDatabase('makemigrations -> migrate round trip', (ctx) => {
  it('v1 -> migrate -> data -> v2 (rename, add, remove, alter, FK, M2M, index) -> migrate -> data kept -> zero -> forward', async () => {
    const app = `rt_${ctx.dialect === 'sqlite' ? 's' : 'p'}`;
    const folder = mkdtempSync(join(tmpdir(), 'atrium-rt-'));
    folders.push(folder);
    const apps = [{ label: app, path: folder }];
    const { v1, v2 } = versions(app);
    const questioner = new NonInteractiveQuestioner({ renames: [`${app}.Post.titel=title`], defaults: { [`${app}.Post.slug`]: 'none' } });
    const make = (models: AnyModel[]) => makeMigrations({ apps, models, questioner, importFrom });
    const migrate = async (target?: string, options: { allowDataLoss?: boolean } = {}) => {
      const loader = await MigrationLoader.load(apps);
      return new MigrationExecutor(loader).migrate(resolveTargets(loader.graph, target === undefined ? undefined : app, target), options);
    };

    // v1
    const first = await make(v1);
    expect(first.map((m) => m.migration.name)).toEqual(['0001_initial']);
    expect(readdirSync(join(folder, 'migrations'))).toEqual(['0001_initial.ts']);
    await migrate();
    const { id: ann } = await ctx.kysely.insertInto(`${app}_author`).values({ name: 'ann' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely
      .insertInto(`${app}_post`)
      .values([
        { titel: 'First', body: 'one', legacy: 1, author_id: ann },
        { titel: 'Second', body: 'two', legacy: 2, author_id: ann },
      ])
      .execute();
    expect(await make(v1)).toEqual([]); // no changes

    // v2
    const second = await make(v2);
    expect(second.map((m) => m.migration.name)).toEqual(['0002_tag_rename_post_titel_title_remove_post_legacy_and_more']);
    const source = readFileSync(second[0]!.path, 'utf8');
    if (process.env['SHOW_MIGRATION']) console.log(source);
    expect(source).toContain(`ops.renameField({ model: 'Post', oldName: 'titel', newName: 'title' })`);
    expect(source).toContain(`backfill: 'none'`);
    expect(second[0]!.dangers.flat().some((d) => d.dataLoss && d.message.includes('legacy'))).toBe(true);
    await expect(migrate()).rejects.toBeInstanceOf(DataLossRefused);
    await migrate(undefined, { allowDataLoss: true });

    const posts = await ctx.kysely.selectFrom(`${app}_post`).select(['title', 'body', 'rating', 'slug', 'author_id', 'editor_id']).orderBy('id').execute();
    expect(posts).toEqual([
      { title: 'First', body: 'one', rating: 3, slug: 'none', author_id: ann, editor_id: null },
      { title: 'Second', body: 'two', rating: 3, slug: 'none', author_id: ann, editor_id: null },
    ]);
    const columns = await columnsOf(ctx.kysely, ctx.dialect, `${app}_post`);
    expect(columns.map((c) => c.name).sort()).toEqual(['author_id', 'body', 'editor_id', 'id', 'rating', 'slug', 'title']);
    expect(columns.find((c) => c.name === 'body')!.notNull).toBe(false);
    expect(columns.find((c) => c.name === 'slug')!.notNull).toBe(true);
    expect(await tableExists(ctx.kysely, ctx.dialect, `${app}_post_tags`)).toBe(true);
    expect(await indexesOf(ctx.kysely, ctx.dialect, `${app}_post`)).toContain(`${app}_post_title_rating_idx`);
    const { id: tag } = await ctx.kysely.insertInto(`${app}_tag`).values({ name: 'orm' }).returning('id').executeTakeFirstOrThrow();
    await ctx.kysely.insertInto(`${app}_post_tags`).values({ post_id: 1, tag_id: tag }).execute();

    // makemigrations right after is a no-op.
    expect(await make(v2)).toEqual([]);

    // Back to zero, then forward again.
    await migrate('zero', { allowDataLoss: true });
    for (const table of ['author', 'post', 'tag', 'post_tags']) expect(await tableExists(ctx.kysely, ctx.dialect, `${app}_${table}`)).toBe(false);
    const again = await migrate();
    expect(again.map((s) => s.migration.name)).toEqual(['0001_initial', '0002_tag_rename_post_titel_title_remove_post_legacy_and_more']);
    expect((await columnsOf(ctx.kysely, ctx.dialect, `${app}_post`)).map((c) => c.name).sort()).toEqual(['author_id', 'body', 'editor_id', 'id', 'rating', 'slug', 'title']);
  });

  it('renaming a model and a field carries derived index and unique names along, with no index operations', async () => {
    const app = `rn_${ctx.dialect === 'sqlite' ? 's' : 'p'}`;
    const folder = mkdtempSync(join(tmpdir(), 'atrium-rn-'));
    folders.push(folder);
    const apps = [{ label: app, path: folder }];
    const options = (fields: [string, string]) => ({ indexes: [{ fields: [...fields] }], uniqueTogether: [[...fields]] }) as never;
    const V1 = declare(`${app}.Post`, { title: f.string({ maxLength: 50 }), rank: f.integer() }, options(['title', 'rank']));
    const V2 = declare(`${app}.Article`, { title: f.string({ maxLength: 50 }), rank: f.integer() }, options(['title', 'rank']));
    const V3 = declare(`${app}.Article`, { title: f.string({ maxLength: 50 }), score: f.integer() }, options(['title', 'score']));
    const questioner = new NonInteractiveQuestioner({ renames: [`${app}.Post=Article`, `${app}.Article.rank=score`] });
    const make = (models: AnyModel[]) => makeMigrations({ apps, models, questioner, importFrom });
    const migrate = async () => {
      const loader = await MigrationLoader.load(apps);
      return new MigrationExecutor(loader).migrate(resolveTargets(loader.graph));
    };
    await make([V1]);
    await migrate();
    await ctx.kysely.insertInto(`${app}_post`).values({ title: 'a', rank: 1 }).execute();
    const [second] = await make([V2]);
    expect(second!.migration.operations.map((o) => o.describe())).toEqual(['Rename model Post to Article']);
    const [third] = await make([V3]);
    expect(third!.migration.operations.map((o) => o.describe())).toEqual(['Rename field rank on Article to score']);
    await migrate();
    expect(await indexesOf(ctx.kysely, ctx.dialect, `${app}_article`)).toContain(`${app}_article_title_score_idx`);
    expect(await ctx.kysely.selectFrom(`${app}_article`).select(['title', 'score']).execute()).toEqual([{ title: 'a', score: 1 }]);
    await expect(ctx.kysely.insertInto(`${app}_article`).values({ title: 'a', score: 1 }).execute()).rejects.toThrow();
    expect(await make([V3])).toEqual([]);
  });
});
