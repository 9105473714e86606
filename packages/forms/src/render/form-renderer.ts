import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { AtriumError, type AppContext } from '@atrium/core';

/** The templates this package ships (`forms/div.html`, `forms/widgets/*.html`). */
export const FORMS_TEMPLATE_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

export interface FormRendererOptions {
  /** Folders searched in order before the package's own templates (a project's overrides). */
  directories?: readonly string[];
  /** Re-read templates when they change (DEBUG). */
  watch?: boolean;
}

/**
 * Renders form, field and widget templates. Rendering is synchronous, so
 * `{{ form }}` works inside any template: it uses its own Nunjucks
 * environment (autoescape always on) over the same folders as the project's
 * template backend, then the package's templates. A project overrides
 * `forms/field.html` by putting its own in a template folder.
 * @example const renderer = new FormRenderer({ directories: ['/srv/site/templates'] });
 */
export class FormRenderer {
  readonly #environment: nunjucks.Environment;
  readonly directories: readonly string[];

  constructor(options: FormRendererOptions = {}) {
    this.directories = [...(options.directories ?? []), FORMS_TEMPLATE_DIR];
    const loader = new nunjucks.FileSystemLoader([...this.directories], { noCache: options.watch === true });
    this.#environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true, dev: true });
  }

  /** Render a template of the search path with `context` (trailing white space removed, so parts nest tidily). */
  render(templateName: string, context: Record<string, unknown>): string {
    try {
      return this.#environment.render(templateName, context).trimEnd();
    } catch (error) {
      // Nunjucks wraps what a template's values throw; give the caller the Atrium error itself.
      throw atriumCause(error) ?? error;
    }
  }
}

const perProject = new WeakMap<AppContext, FormRenderer>();
let standalone: FormRenderer | undefined;

/**
 * The renderer for a project: TEMPLATES.DIRS, then every installed app's
 * `templates/` (when APP_DIRS), then the package's templates. Built once per
 * project. Without a project (a form built outside a request), only the
 * package's templates are used.
 */
export function rendererFor(context: AppContext | undefined): FormRenderer {
  if (!context) return (standalone ??= new FormRenderer());
  let renderer = perProject.get(context);
  if (!renderer) {
    const { DIRS, APP_DIRS } = context.settings.TEMPLATES;
    const directories = DIRS.map((dir) => resolve(context.root, dir));
    if (APP_DIRS) for (const app of context.apps.all()) directories.push(resolve(app.path, 'templates'));
    renderer = new FormRenderer({ directories, watch: context.settings.DEBUG });
    perProject.set(context, renderer);
  }
  return renderer;
}

/** The first AtriumError along a `cause` chain (bounded: a chain could loop). */
function atriumCause(error: unknown): AtriumError | null {
  let current = error;
  for (let depth = 0; depth < 16 && current instanceof Error; depth++) {
    if (current instanceof AtriumError) return current;
    current = current.cause;
  }
  return null;
}
