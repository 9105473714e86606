import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createApplication, path, text, type AppConfig } from '@atrium/core';
import { findCommandFiles, locateApp } from '@atrium/core/discovery';
import { TestClient } from '@atrium/core/testing';
import ormApp from '../src/app.js';
import { atomicRequests } from '../src/db/atomic-requests.js';
import { connection, hasConnection } from '../src/db/connections.js';
import { executor, onCommit } from '../src/db/transaction.js';
import { forEachDatabase } from './support/databases.js';

const SECRET_KEY = 'x'.repeat(40);

forEachDatabase('atomic requests middleware', (ctx) => {
  it('commits a request that answers < 500 and rolls back one that throws', async () => {
    await sql`create table req_log (msg varchar(20) not null)`.execute(ctx.kysely);
    const events: string[] = [];
    const app = await createApplication({
      settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: [atomicRequests] },
      apps: [],
      routes: [
        path('ok/', async () => {
          await sql`insert into req_log (msg) values ('ok')`.execute(executor());
          await onCommit(() => events.push('ok committed'));
          return text('ok');
        }),
        path('boom/', async () => {
          await sql`insert into req_log (msg) values ('boom')`.execute(executor());
          await onCommit(() => events.push('never'));
          throw new Error('view failed');
        }),
      ],
    });
    const client = new TestClient(app);
    expect((await client.get('/ok/')).status).toBe(200);
    expect((await client.get('/boom/')).status).toBe(500);
    const { rows } = await sql<{ msg: string }>`select msg from req_log`.execute(ctx.kysely);
    expect(rows.map((r) => r.msg)).toEqual(['ok']);
    expect(events).toEqual(['ok committed']);
    await app.close();
  });
});

it('the orm app opens DATABASES at start-up, offers "atomic", and closes only what it opened', async () => {
  const app = await createApplication({
    settings: {
      SECRET_KEY,
      ALLOWED_HOSTS: ['testserver'],
      MIDDLEWARE: ['atomic'],
      DATABASES: { default: { ENGINE: 'sqlite', NAME: ':memory:' } },
    },
    apps: [ormApp as AppConfig],
    routes: [path('n/', async () => text(String((await sql<{ n: number }>`select 41 + 1 as n`.execute(connection().kysely)).rows[0]!.n)))],
  });
  expect(findCommandFiles(locateApp('@atrium/orm', process.cwd())).map((c) => c.name)).toEqual(expect.arrayContaining(['loaddata', 'dumpdata', 'migrate', 'showmigrations', 'sqlmigrate']));
  expect(hasConnection('default')).toBe(true);
  const response = await new TestClient(app).get('/n/');
  expect(await response.text()).toBe('42');
  await app.close();
  expect(hasConnection('default')).toBe(false);
});
