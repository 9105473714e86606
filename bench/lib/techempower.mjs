// What the TechEmpower test types require of a response, and a check that
// Atrium and its baseline send the same headers, so a ratio compares equal
// work. Used by the benchmark suites (before measuring) and by the response
// validator in the test suite (test/techempower-validator.test.ts).
import { ADDED_FORTUNE, FORTUNES, WORLD_ROWS } from './techempower-fixture.mjs';

/** A World row as TechEmpower wants it: exactly `id` and `randomNumber`, both whole numbers in 1..10,000. */
function worldProblem(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `not a World object: ${JSON.stringify(value)}`;
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'id,randomNumber') return `World object with keys ${keys}, expected id,randomNumber`;
  for (const key of ['id', 'randomNumber']) {
    const n = value[key];
    if (!Number.isInteger(n) || n < 1 || n > WORLD_ROWS) return `World ${key} ${JSON.stringify(n)} is not a whole number in 1..${WORLD_ROWS}`;
  }
  return null;
}

function parsed(text) {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: `body is not JSON: ${JSON.stringify(text.slice(0, 200))}` };
  }
}

/** Problems with a JSON array of `count` World objects. */
function worldListProblems(text, count) {
  const { value, error } = parsed(text);
  if (error) return [error];
  if (!Array.isArray(value)) return [`expected a JSON array of ${count} World objects, got ${text.slice(0, 100)}`];
  if (value.length !== count) return [`expected ${count} World objects, got ${value.length}`];
  return value.map(worldProblem).filter((p) => p !== null);
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** The exact fortunes page: the 12 fortunes plus the one added at request time, sorted by message, escaped. */
export function expectedFortunesHtml() {
  const rows = [...FORTUNES, { id: 0, message: ADDED_FORTUNE }].sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  const cells = rows.map((f) => `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`).join('');
  return `<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>${cells}</table></body></html>`;
}

/**
 * The TechEmpower test types: path, content type, and the problems of a body
 * (`count` is the number of rows the request asked for, after clamping).
 * `variable`: the body differs from request to request (random rows).
 */
export const TECHEMPOWER_CASES = {
  plaintext: { path: '/plaintext', contentType: 'text/plain', variable: false, problems: (text) => (text === 'Hello, World!' ? [] : [`unexpected body ${JSON.stringify(text.slice(0, 200))}`]) },
  json: {
    path: '/json',
    contentType: 'application/json',
    variable: false,
    problems: (text) => {
      const { value, error } = parsed(text);
      if (error) return [error];
      return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && value.message === 'Hello, World!' ? [] : [`unexpected body ${JSON.stringify(text.slice(0, 200))}`];
    },
  },
  db: {
    path: '/db',
    contentType: 'application/json',
    variable: true,
    problems: (text) => {
      const { value, error } = parsed(text);
      if (error) return [error];
      const problem = worldProblem(value);
      return problem ? [problem] : [];
    },
  },
  queries: { path: '/queries?queries=20', contentType: 'application/json', variable: true, count: 20, problems: worldListProblems },
  fortunes: {
    path: '/fortunes',
    contentType: 'text/html',
    variable: false,
    problems: (text) => (text === expectedFortunesHtml() ? [] : [`fortunes page differs from the expected HTML; got ${JSON.stringify(text.slice(0, 300))}`]),
  },
  updates: { path: '/updates?queries=20', contentType: 'application/json', variable: true, count: 20, problems: worldListProblems },
  'cached-queries': { path: '/cached-queries?count=20', contentType: 'application/json', variable: true, count: 20, problems: worldListProblems },
};

/**
 * Problems with one response against a TechEmpower case (empty when it
 * complies): status 200, the body, the content type, Server, Date and a
 * Content-Length equal to the body's size in bytes. `count` overrides the
 * number of rows expected from queries/updates (for other `?queries=` values).
 * @example techEmpowerProblems('json', { status: 200, headers, body }) // []
 */
export function techEmpowerProblems(caseName, response, { count } = {}) {
  const spec = TECHEMPOWER_CASES[caseName];
  if (!spec) throw new RangeError(`No TechEmpower case '${caseName}'; known: ${Object.keys(TECHEMPOWER_CASES).join(', ')}`);
  const problems = [];
  if (response.status !== 200) problems.push(`status ${response.status}, expected 200`);
  problems.push(...spec.problems(response.body, count ?? spec.count));
  const type = String(response.headers['content-type'] ?? '');
  if (type.split(';')[0].trim().toLowerCase() !== spec.contentType) problems.push(`content-type '${type}', expected ${spec.contentType}`);
  if (!response.headers['server']) problems.push('no Server header');
  if (!response.headers['date']) problems.push('no Date header');
  const length = response.headers['content-length'];
  if (length === undefined) problems.push('no Content-Length header');
  else if (Number(length) !== Buffer.byteLength(response.body)) problems.push(`content-length ${length}, but the body has ${Buffer.byteLength(response.body)} bytes`);
  return problems;
}

// Date changes every second; everything else must be byte-for-byte the same.
const VARYING = new Set(['date']);
// Random rows make bodies, and so their lengths, differ between two responses.
const VARYING_WITH_BODY = new Set(['date', 'content-length']);

/**
 * Headers that differ between two responses (by name and value, Date
 * excepted; Content-Length too when `variableBody`), as readable lines;
 * empty when the sets match.
 * @example headerDifferences({ server: 'a', vary: 'Cookie' }, { server: 'a' }) // ["vary: 'Cookie' vs (absent)"]
 */
export function headerDifferences(subject, baseline, { variableBody = false } = {}) {
  const varying = variableBody ? VARYING_WITH_BODY : VARYING;
  const names = [...new Set([...Object.keys(subject), ...Object.keys(baseline)])].sort();
  const shown = (v) => (v === undefined ? '(absent)' : `'${v}'`);
  return names
    .filter((name) => !varying.has(name) || (subject[name] === undefined) !== (baseline[name] === undefined))
    .filter((name) => varying.has(name) || String(subject[name]) !== String(baseline[name]))
    .map((name) => `${name}: ${shown(subject[name])} vs ${shown(baseline[name])}`);
}
