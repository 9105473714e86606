// The data the ORM benchmark runs on: two models declared as the docs teach
// (an author with many posts), seeded identically on SQLite and PostgreSQL,
// and a plain Kysely instance over the very same driver handle (the
// better-sqlite3 database or the pg pool) for the baseline.

// Enough rows that a primary-key lookup is an index probe, not a scan of a tiny table.
export const AUTHORS = 1_000;
export const POSTS_PER_AUTHOR = 10;
export const POSTS = AUTHORS * POSTS_PER_AUTHOR;
export const AUTHOR_TABLE = 'bench_author';
export const POST_TABLE = 'bench_post';

const EPOCH = Date.UTC(2026, 0, 1);

/** Column values of seeded post number `i` (0-based), in the ORM's field names. */
export function seedPost(i) {
  return {
    authorId: Math.floor(i / POSTS_PER_AUTHOR) + 1,
    title: `Post number ${i}`,
    body: `Body of post ${i}. `.repeat(8),
    published: i % 3 !== 0,
    // Distinct per row and indexed: `views` ranges select exactly as many rows as they span.
    views: i,
    createdAt: new Date(EPOCH + i * 60_000),
  };
}

let declared = null;

/**
 * The benchmark's models (declared once per process: the registry keeps one
 * model per label).
 */
export function declareModels({ model, f }) {
  if (declared) return declared;
  const Author = model(
    'bench.Author',
    {
      name: f.string({ maxLength: 100 }),
      email: f.email({ maxLength: 200 }),
      active: f.boolean({ default: true }),
      joinedAt: f.datetime(),
    },
    { table: AUTHOR_TABLE },
  );
  const Post = model(
    'bench.Post',
    {
      author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
      title: f.string({ maxLength: 200 }),
      body: f.text(),
      published: f.boolean({ default: false }),
      views: f.integer({ default: 0, index: true }),
      createdAt: f.datetime(),
    },
    { table: POST_TABLE },
  );
  declared = { Author, Post };
  return declared;
}

/**
 * A fresh database configured as the 'default' alias with the models'
 * tables and seed rows: SQLite in memory, or a temporary PostgreSQL schema
 * (dropped by `teardown()`). Returns null (with the reason) when PostgreSQL
 * cannot be reached.
 */
export async function openDatabase(engine, { orm, testing, kysely, url }) {
  const { Author, Post } = declareModels(orm);
  if (engine === 'postgres') {
    const reachable = await probe(url);
    if (!reachable.ok) return { skipped: reachable.reason };
  }
  const database = await testing.createTestDatabase({ engine, models: [Author, Post], url, options: engine === 'postgres' ? { max: 4 } : sqliteOptions() });
  try {
    const conn = orm.connection('default');
    // The baseline: what a user writing raw Kysely has, on the same driver handle.
    const raw =
      engine === 'sqlite'
        ? new kysely.Kysely({ dialect: new kysely.SqliteDialect({ database: conn.sqlite }) })
        : new kysely.Kysely({ dialect: new kysely.PostgresDialect({ pool: conn.pool }) });
    await seed(orm, Author, Post);
    if (engine === 'postgres') await kysely.sql`analyze`.execute(conn.kysely);
    return { engine, Author, Post, raw, teardown: () => database.teardown() };
  } catch (error) {
    await database.teardown();
    throw error;
  }
}

/**
 * DATABASES OPTIONS of the SQLite side. BENCH_ORM_STATEMENT_CACHE=0 turns
 * off the ORM's prepared-statement cache, which the raw Kysely baseline
 * does not have, to see the ORM's own overhead without it.
 */
export function sqliteOptions(env = process.env) {
  const raw = env.BENCH_ORM_STATEMENT_CACHE;
  if (raw === undefined || raw === '' || raw === '1') return {};
  if (raw === '0') return { statementCacheSize: 0 };
  throw new RangeError(`BENCH_ORM_STATEMENT_CACHE='${raw}' must be 0 (off) or 1 (on, the default)`);
}

async function seed(orm, Author, Post) {
  const authors = [];
  for (let i = 0; i < AUTHORS; i++) {
    authors.push({ name: `Author ${i}`, email: `author${i}@example.com`, active: i % 5 !== 0, joinedAt: new Date(EPOCH - i * 86_400_000) });
  }
  await orm.atomic(async () => {
    await Author.objects.bulkCreate(authors);
    const posts = [];
    for (let i = 0; i < POSTS; i++) posts.push(seedPost(i));
    await Post.objects.bulkCreate(posts);
  });
}

async function probe(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
