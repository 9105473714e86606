import type nunjucks from 'nunjucks';
import { TemplateDoesNotExist } from './errors.js';
import { TemplateCache } from './template-cache.js';
import { installFastFrameSet } from './fast-frame-set.js';
import type { TemplateLoader } from './loaders.js';
import { loadNunjucks, type Nunjucks } from './nunjucks-module.js';
import type { TemplateFilter } from './filters/template-filter.js';

export interface EnvironmentParts {
  loader: TemplateLoader;
  checkFreshness: boolean;
  filters: Readonly<Record<string, TemplateFilter>>;
  globals: Readonly<Record<string, unknown>>;
}

type GetTemplateCallback = (error: unknown, template?: nunjucks.Template) => void;

/**
 * The signature nunjucks' compiled code calls for extends/include/import
 * (environment.js `getTemplate`); @types/nunjucks only declares the public overloads.
 */
type GetTemplate = (name: unknown, eagerCompile?: unknown, parentName?: unknown, ignoreMissing?: unknown, callback?: unknown) => nunjucks.Template | undefined;

/**
 * One Nunjucks Environment per project, with Atrium's fixed options: autoescape
 * always on, undefined renders as '', trimmed block tags. Every template lookup
 * (top-level, `extends`, `include`, `import`) goes through one TemplateCache.
 */
export function createEnvironment(parts: EnvironmentParts): { environment: nunjucks.Environment; cache: TemplateCache } {
  const nunjucks = loadNunjucks();
  installFastFrameSet();
  const environment = new nunjucks.Environment([], {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
    // Keep nunjucks' error objects (line, column, cause) so they can be translated.
    dev: true,
  });
  for (const [name, filter] of Object.entries(parts.filters)) environment.addFilter(name, filter);
  for (const [name, value] of Object.entries(parts.globals)) environment.addGlobal(name, value);
  const cache = new TemplateCache(environment, parts.loader, parts.checkFreshness);
  installTemplateLookup(nunjucks, environment, cache);
  return { environment, cache };
}

function installTemplateLookup(nunjucks: Nunjucks, environment: nunjucks.Environment, cache: TemplateCache): void {
  const empty = new nunjucks.Template('', environment, '(missing template)');
  const getTemplate: GetTemplate = (name, eagerCompile, parentName, ignoreMissing, callback) => {
    // Nunjucks' callers pass the callback in any of these positions.
    const done = [eagerCompile, parentName, callback].find((arg): arg is GetTemplateCallback => typeof arg === 'function');
    let template: nunjucks.Template | undefined;
    let failure: unknown;
    try {
      template = findTemplate(nunjucks, cache, name, ignoreMissing === true) ?? empty;
    } catch (error) {
      failure = error;
    }
    if (done) {
      done(failure ?? null, template);
      return undefined;
    }
    if (failure !== undefined) throw failure;
    return template;
  };
  // Replace the method on this instance: compiled templates call `env.getTemplate(...)`.
  (environment as unknown as { getTemplate: GetTemplate }).getTemplate = getTemplate;
}

function findTemplate(nunjucks: Nunjucks, cache: TemplateCache, name: unknown, ignoreMissing: boolean): nunjucks.Template | undefined {
  if (name instanceof nunjucks.Template) return name;
  const text = name instanceof nunjucks.runtime.SafeString ? name.val : name;
  if (typeof text !== 'string') {
    throw new TypeError(`A template name must be a string; got ${text === null ? 'null' : typeof text}. Check the value given to extends/include/import.`);
  }
  const found = cache.lookup(text);
  if (found.template) return found.template;
  if (ignoreMissing) return undefined;
  throw new TemplateDoesNotExist([text], found.tried);
}
