import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import type { AppContext } from '@atrium/core';
import { TemplateDoesNotExist } from './errors.js';
import type { TemplateOptions } from './template-options.js';

/** A folder searched for templates, and who contributed it (for error messages). */
export interface TemplateDirectory {
  readonly path: string;
  /** 'project' or `app '<label>'`. */
  readonly origin: string;
}

/** A template file found on disk, with what identifies its version. */
export interface TemplateFile {
  readonly name: string;
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/**
 * The folders to search, in order: the project's TEMPLATES.DIRS (relative to
 * the project root), then each installed app's `templates/` in INSTALLED_APPS
 * order when APP_DIRS is on. The first folder holding a name wins, so a
 * project overrides an app and an earlier app overrides a later one.
 */
export function templateDirectories(context: AppContext, options: Pick<TemplateOptions, 'dirs' | 'appDirs'>): TemplateDirectory[] {
  const directories: TemplateDirectory[] = options.dirs.map((dir) => ({ path: resolve(context.root, dir), origin: 'project' }));
  if (options.appDirs) {
    for (const app of context.apps.all()) {
      directories.push({ path: resolve(app.path, 'templates'), origin: `app '${app.label}'` });
    }
  }
  return directories;
}

/**
 * Finds template files by name across template folders. Names are always
 * relative to a template folder; anything that could leave it is refused.
 */
export class TemplateLoader {
  constructor(readonly directories: readonly TemplateDirectory[]) {}

  /**
   * The first file named `name`, or null. Every path looked at is pushed on
   * `tried`. Throws TemplateDoesNotExist for a name that is not a plain
   * relative path (absolute, `..`, NUL), so a template name from user input
   * cannot read files outside the template folders.
   */
  locate(name: string, tried: string[] = []): TemplateFile | null {
    checkTemplateName(name);
    for (const directory of this.directories) {
      const path = resolve(directory.path, name);
      // Defence in depth: checkTemplateName already refuses `..`.
      if (!path.startsWith(directory.path + sep)) continue;
      tried.push(path);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats?.isFile()) return { name, path, mtimeMs: stats.mtimeMs, size: stats.size };
    }
    return null;
  }

  read(file: TemplateFile): string {
    return readFileSync(file.path, 'utf8');
  }
}

function checkTemplateName(name: string): void {
  const refuse = (why: string): never => {
    throw new TemplateDoesNotExist([name], [], why);
  };
  if (name === '') refuse('the name is empty.');
  if (name.includes('\0')) refuse('the name contains a NUL character.');
  if (isAbsolute(name) || name.startsWith('/') || name.startsWith('\\')) {
    refuse('template names are relative to a template folder (e.g. "blog/post.html"), not absolute paths.');
  }
  const segments = name.split(/[\\/]/);
  if (segments[0] === '.') {
    refuse('relative template names are not supported; use the full name from the template folder (e.g. "blog/post.html").');
  }
  if (segments.includes('..')) refuse("the name contains '..'; template names cannot leave their template folder.");
}
