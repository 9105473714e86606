import { ImproperlyConfigured } from '@atrium/core';

/**
 * N+1 protection switch (Rails' strict_loading, Django 6.1's fetch modes).
 * Touching a relation that was not loaded always raises RelationNotLoaded
 * (JavaScript cannot load it synchronously); strict mode additionally makes
 * `instance.load()` refuse to run a query per row of a multi-row result,
 * where non-strict mode loads the relation for every peer in one query.
 *
 * Precedence: setStrictMode(true|false) > the ORM_STRICT setting > automatic
 * (on under tests — NODE_ENV=test or VITEST — or when settings DEBUG is true).
 */
let explicit: boolean | null = null;
let fromSettings: boolean | null = null;
let debug = false;

/**
 * True when strict loading is on.
 * @example
 * if (isStrict()) console.warn('N+1 protection is on');
 */
export function isStrict(): boolean {
  if (explicit !== null) return explicit;
  if (fromSettings !== null) return fromSettings;
  return debug || process.env['NODE_ENV'] === 'test' || Boolean(process.env['VITEST']);
}

/**
 * Force strict mode on or off; `null` returns to the automatic choice.
 * @example
 * setStrictMode(false); // allow instance.load() inside loops
 * setStrictMode(null);  // back to settings / environment
 */
export function setStrictMode(on: boolean | null): void {
  explicit = on;
}

/**
 * Take the defaults from settings (called by the orm app's ready()): the
 * `ORM_STRICT` setting when present, else strict when `DEBUG` is true.
 * @example
 * applyStrictModeSettings({ DEBUG: true, ORM_STRICT: false });
 */
export function applyStrictModeSettings(settings: { readonly DEBUG?: boolean; readonly [key: string]: unknown }): void {
  const value = settings['ORM_STRICT'];
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    throw new ImproperlyConfigured(`Setting ORM_STRICT must be true or false, got ${JSON.stringify(value)}.`);
  }
  fromSettings = typeof value === 'boolean' ? value : null;
  debug = settings.DEBUG === true;
}
