import { createRequire } from 'node:module';
import type nunjucksModule from 'nunjucks';

export type Nunjucks = typeof nunjucksModule;

let loaded: Nunjucks | undefined;

/**
 * The nunjucks module, loaded on first call. Nothing in this package imports
 * nunjucks at top level: merely loading it made every request of a project
 * that never renders a template (an API, the TechEmpower plaintext/json
 * benchmark) about 1.5k CPU instructions slower, so it waits for the first
 * template. nunjucks is CommonJS, so require() gives it synchronously and
 * returns the same module object as `import nunjucks from 'nunjucks'`.
 */
export function loadNunjucks(): Nunjucks {
  loaded ??= createRequire(import.meta.url)('nunjucks') as Nunjucks;
  return loaded;
}
