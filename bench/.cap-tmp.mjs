import { openDatabase } from './lib/orm-fixture.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase('sqlite', { orm, testing, kysely, url: '' });
const { queries } = await orm.captureQueries(() => db.Author.objects.filter({ id: { gte: 101, lt: 201 } }).orderBy('id').prefetchRelated('posts'));
for (const q of queries) console.log(q.sql.slice(0, 200), q.parameters.length, q.parameters.slice(0, 5));
await db.teardown();
