import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';
import type { Settings } from '../settings/schema.js';
import { StaticFinder, type StaticFileEntry, type StaticFinderOptions } from './finders.js';
import { writeManifest } from './manifest.js';

export interface CollectStaticLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface CollectStaticOptions {
  /** Absolute project folder; STATIC_ROOT and STATICFILES_DIRS resolve against it. */
  root: string;
  settings: Pick<Settings, 'STATIC_ROOT' | 'STATICFILES_DIRS' | 'STATIC_URL'>;
  /** The app registry (or a list of apps) whose `static/` folders are collected. */
  apps: StaticFinderOptions['apps'];
  /** Empty STATIC_ROOT first, so files deleted from the sources disappear too. */
  clear?: boolean;
  /** Receives a summary line and warnings (e.g. a CSS url() naming a missing file); `console` fits. */
  logger?: CollectStaticLogger;
}

export interface CollectStaticResult {
  staticRoot: string;
  manifestPath: string;
  /** Files found by the finders (first match wins). */
  found: number;
  /** Plain copies written this run. */
  copied: number;
  /** Plain copies already up to date. */
  unmodified: number;
  /** Content-hashed copies written this run (existing ones are kept: the name is the content). */
  hashed: number;
}

const silent: CollectStaticLogger = { info() {}, warn() {} };

/**
 * Copy every static file into STATIC_ROOT, add a content-hashed copy of each
 * (`css/site.3f2a9b0c1d2e.css`, with CSS url() references rewritten to hashed
 * names) and write the `staticfiles.json` manifest that `staticUrl` and the
 * static middleware read.
 * @example const result = await collectStatic({ root: app.root, settings: app.settings, apps: app.apps, clear: true, logger: console });
 */
export async function collectStatic(options: CollectStaticOptions): Promise<CollectStaticResult> {
  const { root, settings, apps, logger = silent } = options;
  if (settings.STATIC_ROOT === null) {
    throw new ImproperlyConfigured("STATIC_ROOT is not set, so collectstatic has nowhere to copy files; set STATIC_ROOT in settings to a folder, e.g. STATIC_ROOT: 'staticfiles'.");
  }
  const staticRoot = resolve(root, settings.STATIC_ROOT);
  const finder = new StaticFinder({ root, settings, apps });
  checkStaticRoot(staticRoot, root, finder.roots());

  if (options.clear) await emptyFolder(staticRoot);
  await mkdir(staticRoot, { recursive: true });

  const files = await finder.listAll();
  let copied = 0;
  for (const file of files) {
    if (await copyIfChanged(file.absolutePath, join(staticRoot, file.relativePath))) copied++;
  }

  const hasher = new ContentHasher(new Map(files.map((f) => [f.relativePath, f])), staticRoot, settings.STATIC_URL, logger);
  for (const file of files) await hasher.hashedName(file.relativePath);
  const manifestPath = await writeManifest(staticRoot, hasher.names);

  const result = { staticRoot, manifestPath, found: files.length, copied, unmodified: files.length - copied, hashed: hasher.written };
  logger.info(`${result.copied} static files copied to ${staticRoot}, ${result.unmodified} unmodified, ${result.hashed} hashed copies written.`);
  return result;
}

/**
 * Computes and writes the hashed copy of each file on demand. A CSS file is
 * hashed after its url() references are rewritten, so a changed image also
 * changes the hashed name of every stylesheet that uses it.
 */
class ContentHasher {
  readonly names = new Map<string, string>();
  written = 0;
  readonly #inProgress = new Set<string>();

  constructor(
    readonly files: ReadonlyMap<string, StaticFileEntry>,
    readonly staticRoot: string,
    readonly staticUrl: string,
    readonly logger: CollectStaticLogger,
  ) {}

  async hashedName(relativePath: string): Promise<string | undefined> {
    const known = this.names.get(relativePath);
    if (known !== undefined) return known;
    const file = this.files.get(relativePath);
    if (file === undefined) return undefined;
    if (this.#inProgress.has(relativePath)) {
      this.logger.warn(`Static file '${relativePath}' is part of a CSS reference cycle; one reference to it keeps the unhashed name.`);
      return undefined;
    }
    this.#inProgress.add(relativePath);
    try {
      const name = relativePath.endsWith('.css') ? await this.#hashCss(file) : await this.#hashAsIs(file);
      this.names.set(relativePath, name);
      return name;
    } finally {
      this.#inProgress.delete(relativePath);
    }
  }

  async #hashAsIs(file: StaticFileEntry): Promise<string> {
    const name = hashedFileName(file.relativePath, await hashStream(file.absolutePath));
    const target = join(this.staticRoot, name);
    if (!(await exists(target))) {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file.absolutePath, target);
      this.written++;
    }
    return name;
  }

  async #hashCss(file: StaticFileEntry): Promise<string> {
    const css = await readFile(file.absolutePath, 'utf8');
    const rewritten = await rewriteCssUrls(css, file.relativePath, {
      staticUrl: this.staticUrl,
      exists: (target) => this.files.has(target),
      hashedName: (target) => this.hashedName(target),
      onMissing: (url) => this.logger.warn(`${file.relativePath} refers to '${url}', which no static folder has; the reference is left as it is.`),
    });
    const name = hashedFileName(file.relativePath, hashText(rewritten));
    const target = join(this.staticRoot, name);
    if (!(await exists(target))) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, rewritten);
      this.written++;
    }
    return name;
  }
}

interface CssRewriteOptions {
  /** STATIC_URL, so absolute references like '/static/img/x.png' are rewritten too. */
  staticUrl: string;
  /** True when a finder has this relative path. */
  exists: (relativePath: string) => boolean;
  /** The hashed relative path of an existing file; undefined inside a reference cycle. */
  hashedName: (relativePath: string) => Promise<string | undefined>;
  onMissing: (url: string) => void;
}

// url(x), url('x'), url("x") and @import 'x' / "x". Matching is linear: no nested quantifiers.
const CSS_REFERENCE = /url\(\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^'"()\s]*))\s*\)|@import\s+(?:"([^"\n]*)"|'([^'\n]*)')/gi;

/**
 * Point each url()/@import reference of a stylesheet at the hashed name of the
 * file it names. Relative URLs resolve against the stylesheet's own folder;
 * data:, other schemes, '#fragment', '//host' and paths outside STATIC_URL are
 * left alone, as are references to files no finder has.
 * @example await rewriteCssUrls("a { background: url('../img/bg.png') }", 'css/site.css', options) // "... url('../img/bg.4e1f0a9b2c3d.png') ..."
 */
export async function rewriteCssUrls(css: string, cssPath: string, options: CssRewriteOptions): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const match of css.matchAll(CSS_REFERENCE)) {
    const url = match.slice(1).find((group) => group !== undefined) ?? '';
    const replacement = await rewriteUrl(url, cssPath, options);
    if (replacement === url) continue;
    // Replace only the URL inside the match, keeping quotes and spacing.
    const at = match.index + match[0].indexOf(url, match[0].startsWith('@') ? 7 : 4);
    parts.push(css.slice(last, at), replacement);
    last = at + url.length;
  }
  parts.push(css.slice(last));
  return parts.join('');
}

async function rewriteUrl(url: string, cssPath: string, options: CssRewriteOptions): Promise<string> {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  const split = url.search(/[?#]/);
  const urlPath = split === -1 ? url : url.slice(0, split);
  const suffix = split === -1 ? '' : url.slice(split);
  let target: string;
  if (urlPath.startsWith('/')) {
    if (!options.staticUrl.startsWith('/') || !urlPath.startsWith(options.staticUrl)) return url;
    target = urlPath.slice(options.staticUrl.length);
  } else {
    target = posix.normalize(posix.join(posix.dirname(cssPath), urlPath));
    if (target === '..' || target.startsWith('../')) return url;
  }
  try {
    target = decodeURIComponent(target);
  } catch {
    return url;
  }
  if (!options.exists(target)) {
    options.onMissing(url);
    return url;
  }
  const hashed = await options.hashedName(target);
  if (hashed === undefined) return url;
  // The hashed copy sits beside the original, so only the last segment changes.
  const lastSlash = urlPath.lastIndexOf('/');
  const base = hashed.slice(hashed.lastIndexOf('/') + 1);
  return `${urlPath.slice(0, lastSlash + 1)}${encodeURIComponent(base)}${suffix}`;
}

/**
 * `dir/name.<hash>.ext` (the hash goes before the last extension; a name
 * without one gets it appended).
 * @example hashedFileName('css/site.css', '3f2a9b0c1d2e') // 'css/site.3f2a9b0c1d2e.css'
 */
export function hashedFileName(relativePath: string, hash: string): string {
  const slash = relativePath.lastIndexOf('/');
  const dir = relativePath.slice(0, slash + 1);
  const base = relativePath.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return `${dir}${base}.${hash}`;
  return `${dir}${base.slice(0, dot)}.${hash}${base.slice(dot)}`;
}

const HASH_LENGTH = 12;

function hashText(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, HASH_LENGTH);
}

async function hashStream(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, HASH_LENGTH);
}

/** Copy unless the target already has the same size and is not older (Django's rule). */
async function copyIfChanged(source: string, target: string): Promise<boolean> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => null)]);
  if (to !== null && to.isFile() && to.size === from.size && to.mtimeMs >= from.mtimeMs) return false;
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Remove what is inside `folder`, keeping the folder itself (it may be a mount point). */
async function emptyFolder(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) await rm(join(folder, name), { recursive: true, force: true });
}

/**
 * Refuse a STATIC_ROOT that would copy files onto their own sources, collect
 * its own output, or (with clear) delete the project or a source folder.
 */
function checkStaticRoot(staticRoot: string, projectRoot: string, sourceRoots: readonly string[]): void {
  if (contains(staticRoot, resolve(projectRoot))) {
    throw new ImproperlyConfigured(`STATIC_ROOT '${staticRoot}' is the project folder or contains it; set STATIC_ROOT to a dedicated folder such as 'staticfiles'.`);
  }
  for (const source of sourceRoots) {
    if (contains(staticRoot, source) || contains(source, staticRoot)) {
      throw new ImproperlyConfigured(
        `STATIC_ROOT '${staticRoot}' overlaps the static source folder '${source}'; STATIC_ROOT must be a separate folder (not in STATICFILES_DIRS or an app's static/).`,
      );
    }
  }
}

/** True when `inner` is `outer` or lies below it. */
function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel));
}
