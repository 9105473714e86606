import { AtriumError } from '@atrium/core';

/**
 * No template folder holds any of the requested names. `tried` lists every
 * file path looked at, in search order, for the DEBUG page and the log.
 */
export class TemplateDoesNotExist extends AtriumError {
  readonly names: readonly string[];
  readonly tried: readonly string[];
  constructor(names: readonly string[], tried: readonly string[], reason?: string) {
    const quoted = names.map((name) => `'${name}'`).join(', ');
    const detail =
      reason ??
      (tried.length > 0
        ? `tried:\n${tried.map((path) => `  ${path}`).join('\n')}\nCreate one of these files, or check TEMPLATES.DIRS and INSTALLED_APPS.`
        : 'no template folders are configured; set TEMPLATES.DIRS or TEMPLATES.APP_DIRS.');
    super('E_TEMPLATE_DOES_NOT_EXIST', `Template ${quoted} does not exist; ${detail}`);
    this.names = names;
    this.tried = tried;
  }
}

/** A template does not parse. Names the template, its file and the line. */
export class TemplateSyntaxError extends AtriumError {
  readonly templateName: string;
  readonly path: string;
  readonly line: number | null;
  readonly column: number | null;
  constructor(templateName: string, path: string, line: number | null, column: number | null, detail: string, options?: { cause?: unknown }) {
    const where = line === null ? '' : column === null ? `, line ${line}` : `, line ${line}, column ${column}`;
    super('E_TEMPLATE_SYNTAX', `Syntax error in template '${templateName}' (${path}${where}): ${detail}`, options);
    this.templateName = templateName;
    this.path = path;
    this.line = line;
    this.column = column;
  }
}

/**
 * Rendering failed for a reason other than an Atrium error (those pass
 * through unchanged): a filter or a context value threw. `cause` is the error.
 */
export class TemplateRenderError extends AtriumError {
  readonly templateName: string;
  readonly line: number | null;
  readonly column: number | null;
  constructor(templateName: string, line: number | null, column: number | null, detail: string, options?: { cause?: unknown }) {
    super('E_TEMPLATE_RENDER', `Error rendering template '${templateName}': ${detail}`, options);
    this.templateName = templateName;
    this.line = line;
    this.column = column;
  }
}

/** A context processor returned something other than a plain object of template variables. */
export class ContextProcessorError extends AtriumError {
  constructor(name: string, got: string) {
    super('E_CONTEXT_PROCESSOR', `Context processor '${name}' returned ${got}; it must return (or resolve to) a plain object of template variables.`);
  }
}
