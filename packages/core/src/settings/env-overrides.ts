/** Prefix of environment variables that override settings. */
export const ENV_PREFIX = 'ATRIUM_';

/**
 * Apply `ATRIUM_<KEY>` environment variables over settings. Nested keys use a
 * double underscore: `ATRIUM_DATABASES__default__NAME=app.db`. A value is read
 * as JSON when it parses (`true`, `8000`, `["a","b"]`), else as a string; a
 * non-JSON value for a list setting is split on commas (`ATRIUM_ALLOWED_HOSTS=a.com,b.com`).
 */
export function applyEnvOverrides(
  settings: Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
): Record<string, unknown> {
  const out = structuredCloneSafe(settings);
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const raw = env[name];
    if (raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).split('__');
    if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let target: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = Object.create(null);
      target = target[key] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    target[leaf] = parseEnvValue(raw, target[leaf]);
  }
  return out;
}

function parseEnvValue(raw: string, current: unknown): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    if (Array.isArray(current)) return raw.split(',').map((s) => s.trim()).filter(Boolean);
    return raw;
  }
}

/** Copy plain data, keeping functions (middleware factories) by reference. */
function structuredCloneSafe(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? structuredCloneSafe(v as Record<string, unknown>) : Array.isArray(v) ? v.slice() : v;
  }
  return out;
}
