/** What a masked value is replaced with (Django's cleansed substitute, same length). */
export const MASK = '********************';

/** Setting and header names whose values are never shown on a debug page. */
export const SENSITIVE_NAME = /SECRET|PASSWORD|TOKEN|KEY|PASS|SIGNATURE|API|AUTH/i;

// Credentials embedded in a connection URL: postgres://user:password@host/db.
const URL_CREDENTIALS = /(\/\/[^/:@\s]*:)[^@/\s]*@/g;
const MAX_DEPTH = 8;

/**
 * A copy of `value` that is safe to show on the DEBUG page: values under keys
 * matching SENSITIVE_NAME are masked at any depth, passwords inside URLs are
 * masked, functions become `[function name]`, and cycles are cut. The result
 * is plain JSON data.
 * @example maskSettings({ SECRET_KEY: 'x', DATABASES: { default: { PASSWORD: 'pw' } } })
 * // { SECRET_KEY: '********************', DATABASES: { default: { PASSWORD: '********************' } } }
 */
export function maskSettings(value: unknown): unknown {
  return mask(value, new WeakSet(), 0);
}

function mask(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return value.includes('//') ? value.replace(URL_CREDENTIALS, `$1${MASK}@`) : value;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[...]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => mask(item, seen, depth + 1));
    if (value instanceof Map) return maskEntries([...value].map(([k, v]) => [String(k), v]), seen, depth);
    if (value instanceof RegExp || value instanceof Date) return String(value);
    return maskEntries(Object.entries(value), seen, depth);
  } finally {
    seen.delete(value);
  }
}

function maskEntries(entries: Array<[string, unknown]>, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  // Null prototype: a setting named __proto__ stays data.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, v] of entries) {
    out[key] = SENSITIVE_NAME.test(key) ? MASK : mask(v, seen, depth + 1);
  }
  return out;
}
