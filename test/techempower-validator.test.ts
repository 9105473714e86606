// The TechEmpower response rules, checked on every endpoint of the Atrium
// benchmark project (bench/apps/techempower-atrium) and of its hand-written
// baseline (bench/apps/techempower-baseline.mjs), on SQLite and PostgreSQL.
// No timing here: the benchmark itself is `npm run bench -- techempower`.
// The servers are the real processes the benchmark starts, so the packages
// must be built (npm test runs tsc -b first).
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePostgres, skipUnreachablePostgres, testDatabaseUrl } from '@atrium/orm/testing';
import { fetchOnce, startServer, type StartedServer } from '../bench/lib/spawn-server.mjs';
import { expectedFortunesHtml, headerDifferences, techEmpowerProblems } from '../bench/lib/techempower.mjs';
import { createFixture, dropFixture, parseDatabase, readWorlds, type FixtureTarget } from '../bench/lib/techempower-fixture.mjs';

const apps = join(import.meta.dirname, '..', 'bench', 'apps');
const postgresUrl = testDatabaseUrl();
const postgres = await probePostgres(postgresUrl);

const engines: Array<{ engine: 'sqlite' | 'postgres'; title: string; env: Record<string, string> | null }> = [
  { engine: 'sqlite', title: 'SQLite', env: { TE_DATABASE: `sqlite:${join(tmpdir(), `atrium-te-validator-${process.pid}.db`)}` } },
  {
    engine: 'postgres',
    title: postgres.ok ? 'PostgreSQL' : skipUnreachablePostgres(postgres, postgresUrl),
    env: postgres.ok ? { TE_DATABASE: postgresUrl, TE_PG_SCHEMA: `atrium_te_validator_${process.pid}` } : null,
  },
];

type Body = Array<{ id: number; randomNumber: number }>;

for (const { engine, title, env } of engines) {
  describe.skipIf(env === null)(`TechEmpower responses on ${title}`, () => {
    let target: FixtureTarget;
    const servers: Record<'atrium' | 'baseline', StartedServer | undefined> = { atrium: undefined, baseline: undefined };

    beforeAll(async () => {
      target = parseDatabase(env!);
      await createFixture(target);
      [servers.atrium, servers.baseline] = await Promise.all([
        startServer({ name: 'atrium', script: join(apps, 'techempower-atrium', 'server.mjs'), env: env!, readyPath: '/plaintext' }),
        startServer({ name: 'baseline', script: join(apps, 'techempower-baseline.mjs'), env: env!, readyPath: '/plaintext' }),
      ]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([servers.atrium?.stop(), servers.baseline?.stop()]);
      if (target) await dropFixture(target);
      if (target?.engine === 'sqlite') {
        const file = target.file;
        await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
      }
    });

    const get = (side: 'atrium' | 'baseline', path: string) => fetchOnce(`${servers[side]!.url}${path}`);

    for (const side of ['atrium', 'baseline'] as const) {
      describe(side, () => {
        it('answers plaintext, json and db by the rules (body, Content-Type, Server, Date, Content-Length)', async () => {
          for (const test of ['plaintext', 'json', 'db'] as const) {
            expect(techEmpowerProblems(test, await get(side, `/${test}`)), test).toEqual([]);
          }
          const plain = await get(side, '/plaintext');
          expect(plain.body).toBe('Hello, World!');
          expect(plain.headers['content-type']).toBe('text/plain; charset=utf-8');
          expect(JSON.parse((await get(side, '/json')).body)).toEqual({ message: 'Hello, World!' });
        });

        it('clamps ?queries= to 1..500, and anything not a number is 1', async () => {
          const cases: Array<[string, number]> = [['', 1], ['?queries=', 1], ['?queries=foo', 1], ['?queries=0', 1], ['?queries=-3', 1], ['?queries=7', 7], ['?queries=20', 20], ['?queries=501', 500], ['?queries=99999', 500]];
          for (const [query, count] of cases) {
            const response = await get(side, `/queries${query}`);
            expect(techEmpowerProblems('queries', response, { count }), `/queries${query}`).toEqual([]);
          }
        });

        it('renders the fortunes page exactly: 12 rows plus the added one, sorted, escaped', async () => {
          const response = await get(side, '/fortunes');
          expect(techEmpowerProblems('fortunes', response)).toEqual([]);
          expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
          expect(response.body).toBe(expectedFortunesHtml());
          expect(response.body).toContain('<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>');
          expect(response.body).toContain('<tr><td>12</td><td>\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af</td></tr>');
          expect(response.body.match(/<tr><td>/g)).toHaveLength(13);
        });

        it('answers cached-queries from the cache with rows that match the database, count clamped', async () => {
          for (const [query, count] of [['', 1], ['?count=foo', 1], ['?count=0', 1], ['?count=20', 20], ['?count=501', 500]] as const) {
            const response = await get(side, `/cached-queries${query}`);
            expect(techEmpowerProblems('cached-queries', response, { count }), `/cached-queries${query}`).toEqual([]);
          }
          const rows = JSON.parse((await get(side, '/cached-queries?count=50')).body) as Body;
          const again = JSON.parse((await get(side, '/cached-queries?count=50')).body) as Body;
          // No update ran in between, so the cache holds what the database holds.
          expect(await readWorlds(target, rows.map((r) => r.id))).toEqual(rows);
          expect(await readWorlds(target, again.map((r) => r.id))).toEqual(again);
        });

        it('persists updates: every returned row is in the database with its new number, and N is clamped', async () => {
          for (const [query, count] of [['?queries=foo', 1], ['?queries=0', 1], ['?queries=15', 15], ['?queries=501', 500]] as const) {
            const response = await get(side, `/updates${query}`);
            expect(techEmpowerProblems('updates', response, { count }), `/updates${query}`).toEqual([]);
            const rows = JSON.parse(response.body) as Body;
            expect(new Set(rows.map((r) => r.id)).size).toBe(count);
            expect(await readWorlds(target, rows.map((r) => r.id))).toEqual(rows);
          }
        });
      });
    }

    it('sends the same header set from Atrium and the baseline (Date and a random body length excepted)', async () => {
      for (const [path, variableBody] of [['/plaintext', false], ['/json', false], ['/db', true], ['/queries?queries=3', true], ['/fortunes', false], ['/updates?queries=3', true], ['/cached-queries?count=3', true]] as const) {
        const [a, b] = await Promise.all([get('atrium', path), get('baseline', path)]);
        expect(headerDifferences(a.headers, b.headers, { variableBody }), path).toEqual([]);
      }
    });

    it(`has the fixture of 10,000 worlds on ${engine}`, async () => {
      const rows = await readWorlds(target, [1, 5000, 10000, 10001]);
      expect(rows.slice(0, 3).every((row) => row !== undefined && row.randomNumber >= 1 && row.randomNumber <= 10000)).toBe(true);
      expect(rows[3]).toBeUndefined();
    });
  });
}
