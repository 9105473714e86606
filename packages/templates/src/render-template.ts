import type nunjucks from 'nunjucks';
import { AtriumError } from '@atrium/core';
import { TemplateRenderError } from './errors.js';

/** Nunjucks' TemplateError after rendering: the message names the file and position. */
interface NunjucksRenderError {
  message: string;
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

/**
 * Render a compiled template. An Atrium error raised inside (TemplateDoesNotExist
 * from an include, NoReverseMatch from url(), Http404 from a lazy value...)
 * comes out as itself; anything else becomes TemplateRenderError.
 */
export function renderTemplate(template: nunjucks.Template, templateName: string, variables: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    template.render(variables, (error, output) => {
      if (error) reject(translateRenderError(error, templateName));
      else resolve(output ?? '');
    });
  });
}

export function translateRenderError(error: unknown, templateName: string): Error {
  const atriumError = findAtriumError(error);
  if (atriumError) return atriumError;
  const { message = String(error), lineno, colno, cause } = (error ?? {}) as NunjucksRenderError;
  // Nunjucks counts lines and columns of run-time errors from 0 (parse errors from 1).
  const line = typeof lineno === 'number' ? lineno + 1 : null;
  const column = typeof colno === 'number' ? colno + 1 : null;
  const file = innermostFile(message);
  const where = [file, line === null ? '' : `line ${line}`].filter(Boolean).join(', ');
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : lastLine(message);
  return new TemplateRenderError(templateName, line, column, where ? `${detail} (${where})` : detail, { cause: cause ?? error });
}

/** Nunjucks prefixes the message with '(file)' of the template that failed first. */
function innermostFile(message: string): string {
  if (!message.startsWith('(')) return '';
  const end = message.indexOf(')');
  return end === -1 ? '' : message.slice(1, end);
}

function lastLine(message: string): string {
  return message.slice(message.lastIndexOf('\n') + 1).trim();
}

/** The first AtriumError along the `cause` chain nunjucks wraps errors in. */
function findAtriumError(error: unknown): AtriumError | null {
  let current = error;
  // Bounded: a cause chain could in principle loop.
  for (let depth = 0; depth < 16 && current instanceof Error; depth++) {
    if (current instanceof AtriumError) return current;
    current = current.cause;
  }
  return null;
}
