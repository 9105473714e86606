// The hand-written baseline of bench/suites/techempower.mjs: the TechEmpower
// test types on bare node:http with the same drivers the ORM uses
// (better-sqlite3 / pg) and the fortunes template precompiled with Nunjucks.
// No framework: what a careful developer writes by hand.
//
// It sends the same header set as the Atrium app (Server, Date, Content-Type,
// Content-Length and the security headers Atrium adds by default), so the
// ratio measures the framework, not header bytes; the suite checks this.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { ADDED_FORTUNE, parseDatabase } from '../lib/techempower-fixture.mjs';

const require = createRequire(import.meta.url);
const WORLD_ROWS = 10_000;
const randomId = () => 1 + Math.floor(Math.random() * WORLD_ROWS);

const TEXT_TYPE = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=utf-8';

// The same template file the Atrium app renders, compiled once with autoescape.
const templateFile = join(import.meta.dirname, 'techempower-atrium', 'world', 'templates', 'world', 'fortunes.html');
const fortunesTemplate = nunjucks.compile(readFileSync(templateFile, 'utf8'), new nunjucks.Environment(null, { autoescape: true }), templateFile, true);

function send(res, status, contentType, body) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    server: 'atrium',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  });
  res.end(body);
}

function queryCount(url, name = 'queries') {
  const q = url.indexOf('?');
  const n = Number.parseInt(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get(name) ?? '', 10);
  return Number.isNaN(n) ? 1 : Math.min(500, Math.max(1, n));
}

function distinctIds(count) {
  const ids = new Set();
  while (ids.size < count) ids.add(randomId());
  return [...ids];
}

const byMessage = (a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);

/** The database half, per driver: getWorld(id), allFortunes(), updateWorlds(worlds). */
function sqliteStore(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const selectWorld = db.prepare('select id, random_number as randomNumber from world where id = ?');
  const selectFortunes = db.prepare('select id, message from fortune');
  const selectMany = new Map();
  const selectManyFor = (n) => {
    let stmt = selectMany.get(n);
    if (!stmt) selectMany.set(n, (stmt = db.prepare(`select id, random_number as randomNumber from world where id in (${Array(n).fill('?').join(', ')})`)));
    return stmt;
  };
  // One UPDATE per request, like the ORM's bulkUpdate: a CASE over the ids; one statement per row count.
  const updates = new Map();
  const updateFor = (n) => {
    let stmt = updates.get(n);
    if (!stmt) {
      const branches = 'when ? then ? '.repeat(n);
      stmt = db.prepare(`update world set random_number = case id ${branches}end where id in (${Array(n).fill('?').join(', ')})`);
      updates.set(n, stmt);
    }
    return stmt;
  };
  return {
    getWorld: async (id) => selectWorld.get(id),
    getWorlds: async (ids) => selectManyFor(ids.length).all(ids),
    allFortunes: async () => selectFortunes.all(),
    async updateWorlds(worlds) {
      const params = [];
      for (const w of worlds) params.push(w.id, w.randomNumber);
      for (const w of worlds) params.push(w.id);
      updateFor(worlds.length).run(params);
    },
  };
}

function postgresStore(target) {
  const { Pool } = require('pg');
  const pool = new Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: 10,
    options: `-c search_path=${target.schema}`,
  });
  return {
    async getWorld(id) {
      const { rows } = await pool.query({ name: 'world', text: 'select id, random_number as "randomNumber" from world where id = $1', values: [id] });
      return rows[0];
    },
    async getWorlds(ids) {
      return (await pool.query('select id, random_number as "randomNumber" from world where id = any($1::int[])', [ids])).rows;
    },
    async allFortunes() {
      return (await pool.query({ name: 'fortunes', text: 'select id, message from fortune' })).rows;
    },
    async updateWorlds(worlds) {
      const params = [];
      let branches = '';
      for (const w of worlds) {
        params.push(w.id, w.randomNumber);
        branches += `when $${params.length - 1} then $${params.length}::integer `;
      }
      const keys = worlds.map((w) => {
        params.push(w.id);
        return `$${params.length}`;
      });
      await pool.query(`update world set random_number = case id ${branches}end where id in (${keys.join(', ')})`, params);
    },
  };
}

// cached-queries: World rows kept in process memory, filled on a miss (a plain Map, no expiry needed for a benchmark run).
const worldCache = new Map();

async function cachedWorlds(count) {
  const ids = Array.from({ length: count }, randomId);
  const missing = [...new Set(ids.filter((id) => !worldCache.has(id)))];
  if (missing.length > 0) for (const world of await store.getWorlds(missing)) worldCache.set(world.id, world);
  return ids.map((id) => worldCache.get(id));
}

const target = parseDatabase();
const store = target.engine === 'sqlite' ? sqliteStore(target.file) : postgresStore(target);

async function route(req, res) {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  switch (path) {
    case '/plaintext':
      return send(res, 200, TEXT_TYPE, 'Hello, World!');
    case '/json':
      return send(res, 200, JSON_TYPE, JSON.stringify({ message: 'Hello, World!' }));
    case '/db':
      return send(res, 200, JSON_TYPE, JSON.stringify(await store.getWorld(randomId())));
    case '/queries': {
      const count = queryCount(url);
      const worlds = await Promise.all(Array.from({ length: count }, () => store.getWorld(randomId())));
      return send(res, 200, JSON_TYPE, JSON.stringify(worlds));
    }
    case '/fortunes': {
      const fortunes = await store.allFortunes();
      fortunes.push({ id: 0, message: ADDED_FORTUNE });
      fortunes.sort(byMessage);
      return send(res, 200, HTML_TYPE, fortunesTemplate.render({ fortunes }));
    }
    case '/updates': {
      const worlds = await Promise.all(distinctIds(queryCount(url)).map((id) => store.getWorld(id)));
      for (const world of worlds) world.randomNumber = randomId();
      await store.updateWorlds(worlds);
      return send(res, 200, JSON_TYPE, JSON.stringify(worlds));
    }
    case '/cached-queries':
      return send(res, 200, JSON_TYPE, JSON.stringify(await cachedWorlds(queryCount(url, 'count'))));
    default:
      return send(res, 404, TEXT_TYPE, 'Not Found');
  }
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, TEXT_TYPE, 'Server Error');
  });
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1');
// Exit through process.exit so `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
