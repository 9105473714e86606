import type nunjucks from 'nunjucks';
import { TemplateDoesNotExist, TemplateSyntaxError } from './errors.js';
import type { TemplateFile, TemplateLoader } from './loaders.js';
import { loadNunjucks } from './nunjucks-module.js';

interface CachedTemplate {
  readonly template: nunjucks.Template;
  readonly file: TemplateFile;
}

/** The parts of nunjucks' Template that @types/nunjucks leaves out. */
interface CompilableTemplate {
  compile(): void;
}

/** Nunjucks' TemplateError: a parse error carries its position. */
interface NunjucksError {
  message: string;
  lineno?: number;
  colno?: number;
}

/** A name looked up: the compiled template, or every path tried. */
export type TemplateLookup = { template: nunjucks.Template; tried?: undefined } | { template?: undefined; tried: readonly string[] };

// Names are bounded by the file system, misses are not: `{% include name %}`
// with a name from a request could otherwise fill memory.
const MAX_REMEMBERED_MISSES = 1000;

/**
 * Compiles each template once and keeps it. With `checkFreshness` (DEBUG)
 * every lookup re-locates the file and recompiles it when the file that
 * wins, its mtime or its size changed: a few stat calls per template and
 * render, no file watcher.
 */
export class TemplateCache {
  readonly #entries = new Map<string, CachedTemplate>();
  readonly #misses = new Map<string, readonly string[]>();

  constructor(
    private readonly environment: nunjucks.Environment,
    private readonly loader: TemplateLoader,
    private readonly checkFreshness: boolean,
  ) {}

  /** The compiled template for `name`, or the paths tried. Throws TemplateSyntaxError. */
  lookup(name: string): TemplateLookup {
    const cached = this.#entries.get(name);
    if (cached && !this.checkFreshness) return { template: cached.template };
    const remembered = this.#misses.get(name);
    if (remembered) return { tried: remembered };

    const tried: string[] = [];
    const file = this.loader.locate(name, tried);
    if (!file) {
      this.#entries.delete(name);
      if (!this.checkFreshness) this.#rememberMiss(name, tried);
      return { tried };
    }
    if (cached && sameVersion(cached.file, file)) return { template: cached.template };
    const template = this.#compile(file);
    this.#entries.set(name, { template, file });
    return { template };
  }

  /**
   * Whether `name` can be found, without compiling it: core asks this of
   * error pages ('404.html') and must get an answer, not a syntax error.
   */
  has(name: string): boolean {
    if (!this.checkFreshness && this.#entries.has(name)) return true;
    if (this.#misses.has(name)) return false;
    try {
      const tried: string[] = [];
      const found = this.loader.locate(name, tried) !== null;
      if (!found && !this.checkFreshness) this.#rememberMiss(name, tried);
      return found;
    } catch (error) {
      // A name that could leave the template folders does not exist.
      if (error instanceof TemplateDoesNotExist) return false;
      throw error;
    }
  }

  #compile(file: TemplateFile): nunjucks.Template {
    return compileTemplate(this.environment, this.loader.read(file), file.name, file.path);
  }

  #rememberMiss(name: string, tried: readonly string[]): void {
    if (this.#misses.size >= MAX_REMEMBERED_MISSES) this.#misses.clear();
    this.#misses.set(name, tried);
  }
}

function sameVersion(a: TemplateFile, b: TemplateFile): boolean {
  return a.path === b.path && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

/**
 * Compile template source now, so a syntax error is a TemplateSyntaxError
 * naming this template (not the one that includes it) and its line.
 */
export function compileTemplate(environment: nunjucks.Environment, source: string, name: string, path: string): nunjucks.Template {
  const template = new (loadNunjucks().Template)(source, environment, path);
  try {
    (template as unknown as CompilableTemplate).compile();
  } catch (error) {
    const { message, lineno, colno } = error as NunjucksError;
    throw new TemplateSyntaxError(name, path, lineno ?? null, colno ?? null, message, { cause: error });
  }
  return template;
}
