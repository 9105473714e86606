import type nunjucks from 'nunjucks';
import type { AppContext, HttpRequest, TemplateBackend, TemplateBackendFactory } from '@atrium/core';
import { resolveContextProcessors, templateContext, type NamedContextProcessor } from './context-processors.js';
import { TemplateDoesNotExist } from './errors.js';
import { builtinFilters } from './filters/builtin-filters.js';
import { templateGlobals } from './globals.js';
import { TemplateLoader, templateDirectories } from './loaders.js';
import { renderTemplate } from './render-template.js';
import { compileTemplate, type TemplateCache } from './template-cache.js';
import { createEnvironment } from './template-environment.js';
import { readTemplateOptions } from './template-options.js';
import { FragmentCacheExtension } from './fragment-cache.js';

/**
 * Build the project's Nunjucks backend. Core calls this once at start-up
 * (TEMPLATES.BACKEND names this module); every setting is checked here, so a
 * bad one stops start-up with ImproperlyConfigured.
 * @example const backend = await createTemplateBackend(app.context);
 *          const html = await backend.render('blog/post.html', { post });
 */
export const createTemplateBackend: TemplateBackendFactory = (context: AppContext): TemplateBackend => {
  const options = readTemplateOptions(context.settings);
  const loader = new TemplateLoader(templateDirectories(context, options));
  const processors = resolveContextProcessors(context, options.contextProcessors, options.visibleSettings);
  const { environment, cache } = createEnvironment({
    loader,
    checkFreshness: options.checkFreshness,
    filters: builtinFilters({ timeZone: options.timeZone }),
    globals: templateGlobals(context),
  });
  environment.addExtension('cache', new FragmentCacheExtension(context));
  return new NunjucksBackend(environment, cache, processors);
};

class NunjucksBackend implements TemplateBackend {
  constructor(
    private readonly environment: nunjucks.Environment,
    private readonly cache: TemplateCache,
    private readonly processors: readonly NamedContextProcessor[],
  ) {}

  async render(names: string | readonly string[], context: Record<string, unknown>, request?: HttpRequest): Promise<string> {
    const candidates = typeof names === 'string' ? [names] : names;
    const tried: string[] = [];
    for (const name of candidates) {
      const found = this.cache.lookup(name);
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
    const template = compileTemplate(this.environment, source, '(string)', '(string)');
    return renderTemplate(template, '(string)', await templateContext(this.processors, request, context));
  }

  exists(name: string): boolean {
    return this.cache.has(name);
  }
}
