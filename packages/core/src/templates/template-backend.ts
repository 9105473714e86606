import type { HttpRequest } from '../http/request.js';
import type { AppContext } from '../app/context.js';

/**
 * The seam between core and a template engine. TEMPLATES.BACKEND names a
 * module whose `createTemplateBackend` builds one; core never imports it.
 */
export interface TemplateBackend {
  /** Render the first template of `names` that exists. Rejects with TemplateDoesNotExist listing the tried paths. */
  render(names: string | readonly string[], context: Record<string, unknown>, request?: HttpRequest): Promise<string>;
  /** Render template source directly (debug pages, one-offs). */
  renderString(source: string, context: Record<string, unknown>, request?: HttpRequest): Promise<string>;
  /** True when one of `names` exists. */
  exists(name: string): boolean;
}

export type TemplateBackendFactory = (app: AppContext) => TemplateBackend | Promise<TemplateBackend>;
