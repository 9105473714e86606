import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AppConfig } from '../apps/app-config.js';
import type { Settings } from '../settings/schema.js';

/** Where finders look: the project folder, its settings and the installed apps. */
export interface StaticFinderOptions {
  /** Absolute project folder; STATICFILES_DIRS resolve against it. */
  root: string;
  settings: Pick<Settings, 'STATICFILES_DIRS'>;
  /** The app registry (or any list of apps); each app's `static/` folder is searched after the project's. */
  apps: { all(): readonly AppConfig[] } | readonly AppConfig[];
}

/** One static file: its URL path below STATIC_URL and where it lives on disk. */
export interface StaticFileEntry {
  /** Forward-slash path below STATIC_URL, e.g. 'css/site.css'. */
  relativePath: string;
  /** Real absolute path of the file (symlinks resolved). */
  absolutePath: string;
  /** The static folder it was found in. */
  sourceRoot: string;
}

/**
 * Finds static files in the project's STATICFILES_DIRS, then each installed
 * app's `static/` folder; the first match wins, so a project overrides an app.
 * @example
 * const finder = new StaticFinder({ root: app.root, settings: app.settings, apps: app.apps });
 * const file = await finder.find('admin/css/base.css'); // absolute path or null
 */
export class StaticFinder {
  readonly #options: StaticFinderOptions;

  constructor(options: StaticFinderOptions) {
    this.#options = options;
  }

  /** Static folders in search order (some may not exist). */
  roots(): string[] {
    const { root, settings, apps } = this.#options;
    const list = Array.isArray(apps) ? (apps as readonly AppConfig[]) : (apps as { all(): readonly AppConfig[] }).all();
    const projectDirs = settings.STATICFILES_DIRS.map((dir) => resolve(root, dir));
    const appDirs = list.map((app) => join(app.path, 'static'));
    return [...new Set([...projectDirs, ...appDirs])];
  }

  /** The absolute path of the first file matching `relativePath`, or null (also for unsafe paths). */
  async find(relativePath: string): Promise<string | null> {
    if (normaliseStaticPath(relativePath) === null) return null;
    for (const root of this.roots()) {
      const found = await resolveInside(root, relativePath);
      if (found) return found;
    }
    return null;
  }

  /** Every findable file, first match wins, sorted by relative path (what collectstatic copies). */
  async listAll(): Promise<StaticFileEntry[]> {
    const seen = new Map<string, StaticFileEntry>();
    for (const root of this.roots()) {
      const realRoot = await realpathOrNull(root);
      if (realRoot === null) continue;
      for await (const entry of walk(realRoot, realRoot, '', new Set())) {
        if (!seen.has(entry.relativePath)) seen.set(entry.relativePath, { ...entry, sourceRoot: root });
      }
    }
    return [...seen.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  }
}

/**
 * Check a URL path below STATIC_URL (already percent-decoded once) and return
 * it unchanged when safe, or null. Refused: empty or absolute paths, `.`/`..`
 * and hidden (dot) segments, empty segments, backslashes, NUL and other
 * control characters, and still-encoded dots, slashes, backslashes or NUL
 * (a double-encoded traversal). Hidden files are never served or collected,
 * as Django's collectstatic ignores `.*` by default.
 * @example normaliseStaticPath('css/site.css') // 'css/site.css'
 * @example normaliseStaticPath('../etc/passwd') // null
 */
export function normaliseStaticPath(input: string): string | null {
  if (input.length === 0 || input.length > 1024) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(input)) return null;
  if (input.startsWith('/') || isAbsolute(input) || /^[a-z]:/i.test(input)) return null;
  if (/%(?:2e|2f|5c|00)/i.test(input)) return null;
  for (const segment of input.split('/')) {
    if (segment === '' || segment.startsWith('.')) return null;
  }
  return input;
}

/**
 * The real path of `relativePath` inside `root` when it is a regular file that,
 * after resolving every symlink, still lies inside the real `root`; else null.
 */
export async function resolveInside(root: string, relativePath: string): Promise<string | null> {
  const clean = normaliseStaticPath(relativePath);
  if (clean === null) return null;
  const realRoot = await realpathOrNull(root);
  if (realRoot === null) return null;
  const real = await realpathOrNull(join(realRoot, ...clean.split('/')));
  if (real === null || !isInside(realRoot, real)) return null;
  try {
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

async function realpathOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/**
 * Yield every non-hidden regular file below `dir` (a real path), following
 * symlinks only while their targets stay inside `realRoot`. `urlDir` is the
 * path as URLs see it, which for a linked folder is the link's, not the target's.
 */
async function* walk(realRoot: string, dir: string, urlDir: string, ancestors: ReadonlySet<string>): AsyncGenerator<Omit<StaticFileEntry, 'sourceRoot'>> {
  if (ancestors.has(dir)) return; // a link back up the tree would loop forever
  const below = new Set(ancestors).add(dir);
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.endsWith('~')) continue;
    const real = await realpathOrNull(join(dir, entry.name));
    if (real === null || !isInside(realRoot, real)) continue;
    const stats = await stat(real);
    const urlPath = urlDir === '' ? entry.name : `${urlDir}/${entry.name}`;
    if (stats.isDirectory()) yield* walk(realRoot, real, urlPath, below);
    else if (stats.isFile() && normaliseStaticPath(urlPath) !== null) yield { relativePath: urlPath, absolutePath: real };
  }
}
