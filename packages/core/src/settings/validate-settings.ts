import type { z } from 'zod';
import { ImproperlyConfigured } from '../errors.js';
import { settingsSchema, type Settings } from './schema.js';
import { applyEnvOverrides, ENV_PREFIX } from './env-overrides.js';

/**
 * Validate settings (after environment overrides) and apply defaults. A bad
 * value throws ImproperlyConfigured naming every offending key, the value and
 * what is expected.
 */
export function validateSettings(
  input: Record<string, unknown>,
  options: { env?: Record<string, string | undefined>; source?: string } = {},
): Settings {
  const env = options.env ?? process.env;
  const merged = applyEnvOverrides(withDefaultsForOverriddenKeys(input, env), env);
  const result = settingsSchema.safeParse(merged);
  if (result.success) {
    const settings = result.data;
    // Django's rule: with DEBUG on and no hosts listed, allow the loopback names.
    if (settings.DEBUG && settings.ALLOWED_HOSTS.length === 0) {
      settings.ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
    }
    return settings;
  }
  const where = options.source ? ` in ${options.source}` : '';
  const lines = result.error.issues.map((issue) => describeIssue(issue, merged));
  throw new ImproperlyConfigured(`Invalid settings${where}:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
}

/**
 * Seed a top-level key the user left out with its default before an override
 * is applied, so `ATRIUM_DATABASES__default__NAME` edits the default database
 * rather than replacing it with a half-filled one, and a list setting still
 * accepts comma-separated values.
 */
function withDefaultsForOverriddenKeys(input: Record<string, unknown>, env: Record<string, string | undefined>): Record<string, unknown> {
  const out = { ...input };
  for (const name of Object.keys(env)) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const key = name.slice(ENV_PREFIX.length).split('__')[0]!;
    if (out[key] !== undefined || !Object.hasOwn(settingsSchema.shape, key)) continue;
    const field = settingsSchema.shape[key as keyof typeof settingsSchema.shape];
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = structuredClone(parsed.data);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const key = issue.path.map(String).join('.') || '(root)';
  let value: unknown = input;
  for (const p of issue.path) value = value != null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
  const shown = key.startsWith('SECRET_KEY') && typeof value === 'string' ? `'${'*'.repeat(Math.min(value.length, 8))}' (${value.length} chars)` : formatValue(value);
  const missing = value === undefined ? 'is missing' : `is ${shown}`;
  return `${key} ${missing}: ${issue.message}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
