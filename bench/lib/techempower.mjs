// What TechEmpower's plaintext and json tests require of a response, and a
// check that Atrium and its baseline send the same headers, so a ratio
// compares equal work.

/** The two TechEmpower cases: path, exact body check, content type. */
export const TECHEMPOWER_CASES = {
  plaintext: { path: '/plaintext', contentType: 'text/plain', body: (text) => text === 'Hello, World!' },
  json: {
    path: '/json',
    contentType: 'application/json',
    body: (text) => {
      try {
        const value = JSON.parse(text);
        return Object.keys(value).length === 1 && value.message === 'Hello, World!';
      } catch {
        return false;
      }
    },
  },
};

/**
 * Problems with one response against a TechEmpower case (empty when it
 * complies): status 200, the body, the content type, Server and Date.
 * @example techEmpowerProblems('json', { status: 200, headers, body }) // []
 */
export function techEmpowerProblems(caseName, response) {
  const spec = TECHEMPOWER_CASES[caseName];
  if (!spec) throw new RangeError(`No TechEmpower case '${caseName}'; known: ${Object.keys(TECHEMPOWER_CASES).join(', ')}`);
  const problems = [];
  if (response.status !== 200) problems.push(`status ${response.status}, expected 200`);
  if (!spec.body(response.body)) problems.push(`unexpected body ${JSON.stringify(response.body.slice(0, 200))}`);
  const type = String(response.headers['content-type'] ?? '');
  if (type.split(';')[0].trim().toLowerCase() !== spec.contentType) problems.push(`content-type '${type}', expected ${spec.contentType}`);
  if (!response.headers['server']) problems.push('no Server header');
  if (!response.headers['date']) problems.push('no Date header');
  return problems;
}

// Date changes every second; everything else must be byte-for-byte the same.
const VARYING = new Set(['date']);

/**
 * Headers that differ between two responses (by name and value, Date
 * excepted), as readable lines; empty when the sets match.
 * @example headerDifferences({ server: 'a', vary: 'Cookie' }, { server: 'a' }) // ["vary: 'Cookie' vs (absent)"]
 */
export function headerDifferences(subject, baseline) {
  const names = [...new Set([...Object.keys(subject), ...Object.keys(baseline)])].sort();
  const shown = (v) => (v === undefined ? '(absent)' : `'${v}'`);
  return names
    .filter((name) => !VARYING.has(name) || (subject[name] === undefined) !== (baseline[name] === undefined))
    .filter((name) => VARYING.has(name) || String(subject[name]) !== String(baseline[name]))
    .map((name) => `${name}: ${shown(subject[name])} vs ${shown(baseline[name])}`);
}
