import { json, text } from '@atrium/core';
import { caches } from '@atrium/core/cache';
import { render } from '@atrium/templates';
import { Fortune, World } from './models.mjs';

const WORLD_ROWS = 10_000;
const randomId = () => 1 + Math.floor(Math.random() * WORLD_ROWS);

/** `?queries=N` as TechEmpower wants it: a whole number clamped to 1..500, anything else 1. */
function queryCount(request, name) {
  const n = Number.parseInt(request.query.get(name) ?? '', 10);
  return Number.isNaN(n) ? 1 : Math.min(500, Math.max(1, n));
}

/** N distinct random ids, so that one update request never writes the same row twice. */
function distinctIds(count) {
  const ids = new Set();
  while (ids.size < count) ids.add(randomId());
  return [...ids];
}

export function plaintext() {
  return text('Hello, World!');
}

export function helloJson() {
  return json({ message: 'Hello, World!' });
}

/** GET /db: one random World row. */
export async function singleQuery() {
  return json(await World.objects.get({ id: randomId() }));
}

/** GET /queries?queries=N: N random World rows, one query each. */
export async function multipleQueries(request) {
  const count = queryCount(request, 'queries');
  const worlds = await Promise.all(Array.from({ length: count }, () => World.objects.get({ id: randomId() })));
  return json(worlds);
}

/** GET /fortunes: every fortune plus one added now, sorted by message, through the template. */
export async function fortunes(request) {
  const rows = await Fortune.objects.all();
  rows.push({ id: 0, message: 'Additional fortune added at request time.' });
  rows.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return render(request, 'world/fortunes.html', { fortunes: rows });
}

/** GET /updates?queries=N: N random rows read one by one, given new random numbers, written in one bulk update. */
export async function updates(request) {
  const count = queryCount(request, 'queries');
  const worlds = await Promise.all(distinctIds(count).map((id) => World.objects.get({ id })));
  for (const world of worlds) world.randomNumber = randomId();
  await World.objects.bulkUpdate(worlds, ['randomNumber']);
  return json(worlds);
}

/**
 * GET /cached-queries?count=N: N random World rows through the cache
 * framework (CACHES 'default', the in-process locmem backend) as
 * docs/cache.md teaches: the rows under their ids in a 'world' namespace,
 * read with one getOrSetMany(), the misses read in one query.
 */
export async function cachedQueries(request) {
  const ids = Array.from({ length: queryCount(request, 'count') }, randomId);
  const worlds = await caches(request.app).default.namespace('world').getOrSetMany(ids, async (missing) => {
    const rows = await World.objects.filter({ id: { in: missing } });
    return new Map(rows.map((world) => [world.id, world.toJSON()]));
  });
  return json(worlds);
}
