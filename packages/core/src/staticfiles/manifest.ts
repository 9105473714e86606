import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';

/** The manifest file collectstatic writes at the top of STATIC_ROOT. */
export const MANIFEST_NAME = 'staticfiles.json';

/** The manifest's JSON form: `{ "version": 1, "paths": { "css/site.css": "css/site.3f2a9b0c1d2e.css" } }`. */
export interface StaticManifestJson {
  version: 1;
  paths: Record<string, string>;
}

/** A loaded manifest: original name -> content-hashed name. */
export class StaticManifest {
  readonly #paths: ReadonlyMap<string, string>;
  readonly #hashed: ReadonlySet<string>;

  constructor(paths: ReadonlyMap<string, string>) {
    this.#paths = paths;
    this.#hashed = new Set(paths.values());
  }

  /** The hashed name for `path`, or undefined when collectstatic did not see it. */
  hashedName(path: string): string | undefined {
    return this.#paths.get(path);
  }

  /** True for a content-hashed name (safe to cache for a year). */
  isHashed(path: string): boolean {
    return this.#hashed.has(path);
  }

  get size(): number {
    return this.#paths.size;
  }

  toJSON(): StaticManifestJson {
    return { version: 1, paths: Object.fromEntries([...this.#paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  }
}

// Loaded once per STATIC_ROOT: the manifest only changes when collectstatic runs,
// which clears the entry (a deploy restarts the server anyway).
const cache = new Map<string, StaticManifest | null>();

/**
 * The manifest in `staticRoot`, or null when there is none. Read once and
 * cached per folder; a malformed file throws ImproperlyConfigured.
 * @example const manifest = loadManifest('/srv/site/staticfiles'); manifest?.hashedName('css/site.css');
 */
export function loadManifest(staticRoot: string): StaticManifest | null {
  const root = resolve(staticRoot);
  if (cache.has(root)) return cache.get(root) ?? null;
  const manifest = readManifest(root);
  cache.set(root, manifest);
  return manifest;
}

/** Drop the cached manifest of one folder (or all), so the next lookup reads the file again. */
export function forgetManifest(staticRoot?: string): void {
  if (staticRoot === undefined) cache.clear();
  else cache.delete(resolve(staticRoot));
}

/** Write the manifest atomically (temp file then rename) so a running server never reads half of it. */
export async function writeManifest(staticRoot: string, paths: ReadonlyMap<string, string>): Promise<string> {
  const file = join(staticRoot, MANIFEST_NAME);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(new StaticManifest(paths).toJSON(), null, 2)}\n`);
  await rename(temp, file);
  forgetManifest(staticRoot);
  return file;
}

function readManifest(root: string): StaticManifest | null {
  const file = join(root, MANIFEST_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseManifest(text, file);
}

function parseManifest(text: string, file: string): StaticManifest {
  const fix = 'run `manage collectstatic` again to rewrite it';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ImproperlyConfigured(`Static files manifest ${file} is not valid JSON; ${fix}.`, { cause });
  }
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1) {
    throw new ImproperlyConfigured(`Static files manifest ${file} is not a version 1 manifest; ${fix}.`);
  }
  const rawPaths = (data as { paths?: unknown }).paths;
  if (typeof rawPaths !== 'object' || rawPaths === null || Array.isArray(rawPaths)) {
    throw new ImproperlyConfigured(`Static files manifest ${file} has no "paths" object; ${fix}.`);
  }
  const paths = new Map<string, string>();
  for (const [name, hashed] of Object.entries(rawPaths)) {
    if (typeof hashed !== 'string') {
      throw new ImproperlyConfigured(`Static files manifest ${file} maps '${name}' to a ${typeof hashed}, not a file name; ${fix}.`);
    }
    paths.set(name, hashed);
  }
  return new StaticManifest(paths);
}
