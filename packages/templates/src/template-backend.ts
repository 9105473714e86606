import type nunjucks from 'nunjucks';
import type { AppContext, HttpRequest, TemplateBackend, TemplateBackendFactory } from '@atrium/core';
import { resolveContextProcessors, templateContext, type NamedContextProcessor } from './context-processors.js';
import { TemplateDoesNotExist } from './errors.js';
import { builtinFilters } from './filters/builtin-filters.js';
import { templateGlobals } from './globals.js';
import { TemplateLoader, templateDirectories } from './loaders.js';
import { renderTemplate } from './render-template.js';
import { compileTemplate, type TemplateCache } from './template-cache.js';
import { createEnvironment, type EnvironmentParts } from './template-environment.js';
import { readTemplateOptions } from './template-options.js';
import { FragmentCacheExtension } from './fragment-cache.js';

type BuiltEnvironment = ReturnType<typeof createEnvironment>;

/**
 * Build the project's Nunjucks backend. Core calls this once at start-up
 * (TEMPLATES.BACKEND names this module); every setting is checked here, so a
 * bad one stops start-up with ImproperlyConfigured. Nunjucks itself is loaded
 * and its Environment built on the first render or lookup (see loadNunjucks):
 * a project that never renders a template never loads it.
 * @example const backend = await createTemplateBackend(app.context);
 *          const html = await backend.render('blog/post.html', { post });
 */
export const createTemplateBackend: TemplateBackendFactory = (context: AppContext): TemplateBackend => {
  const options = readTemplateOptions(context.settings);
  const loader = new TemplateLoader(templateDirectories(context, options));
  const processors = resolveContextProcessors(context, options.contextProcessors, options.visibleSettings);
  const parts: EnvironmentParts = {
    loader,
    checkFreshness: options.checkFreshness,
    filters: builtinFilters({ timeZone: options.timeZone }),
    globals: templateGlobals(context),
  };
  const fragmentCache = new FragmentCacheExtension(context);
  return new NunjucksBackend(() => {
    const built = createEnvironment(parts);
    built.environment.addExtension('cache', fragmentCache);
    return built;
  }, processors);
};

class NunjucksBackend implements TemplateBackend {
  #built: BuiltEnvironment | undefined;

  constructor(
    private readonly build: () => BuiltEnvironment,
    private readonly processors: readonly NamedContextProcessor[],
  ) {}

  get #environment(): nunjucks.Environment {
    this.#built ??= this.build();
    return this.#built.environment;
  }

  get #cache(): TemplateCache {
    this.#built ??= this.build();
    return this.#built.cache;
  }

  async render(names: string | readonly string[], context: Record<string, unknown>, request?: HttpRequest): Promise<string> {
    const candidates = typeof names === 'string' ? [names] : names;
    const cache = this.#cache;
    const tried: string[] = [];
    for (const name of candidates) {
      const found = cache.lookup(name);
      if (found.template) {
        const template = found.template;
        const variables = templateContext(this.processors, request, context);
        return variables instanceof Promise ? variables.then((v) => renderTemplate(template, name, v)) : renderTemplate(template, name, variables);
      }
      tried.push(...found.tried);
    }
    throw new TemplateDoesNotExist(candidates, tried);
  }

  async renderString(source: string, context: Record<string, unknown>, request?: HttpRequest): Promise<string> {
    // Not cached: one-off sources (debug pages) would only fill the cache.
    const template = compileTemplate(this.#environment, source, '(string)', '(string)');
    return renderTemplate(template, '(string)', await templateContext(this.processors, request, context));
  }

  exists(name: string): boolean {
    return this.#cache.has(name);
  }
}
