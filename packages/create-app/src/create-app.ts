import { readFileSync } from 'node:fs';
import { atriumSource } from './atrium-dependencies.js';
import { chooseDatabase } from './database-choice.js';
import { installDependencies } from './install-dependencies.js';
import { renderProject, type RenderedProject } from './render-project.js';

export interface CreateAppOptions {
  name: string;
  /** Folder the project folder is created in. */
  cwd: string;
  db?: string | undefined;
  databaseUrl?: string | undefined;
  /** Run npm install afterwards (default true). */
  install?: boolean;
  /** `--atrium-source`; undefined reads ATRIUM_SOURCE, then defaults to 'local'. */
  atriumSource?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Template folder (default: the monorepo's templates/project/). */
  templateDir?: string;
  /** Extra arguments for npm install. */
  installArgs?: readonly string[];
  /** Called once the files are written, before the install (to report progress). */
  onRendered?: (rendered: RenderedProject) => void;
}

export interface CreatedApp extends RenderedProject {
  installed: boolean;
}

/**
 * Create a project: check the options, render the template, install.
 * @example const { projectDir } = await createApp({ name: 'mysite', cwd: process.cwd(), install: false });
 */
export async function createApp(options: CreateAppOptions): Promise<CreatedApp> {
  const source = atriumSource(options.atriumSource, options.env ?? process.env);
  const database = chooseDatabase({ projectName: options.name, db: options.db, databaseUrl: options.databaseUrl });
  const rendered = await renderProject({ name: options.name, cwd: options.cwd, database, source, version: ownVersion(), ...(options.templateDir ? { templateDir: options.templateDir } : {}) });
  options.onRendered?.(rendered);
  const install = options.install ?? true;
  if (install) await installDependencies({ projectDir: rendered.projectDir, packageManager: 'npm', ...(options.installArgs ? { extraArgs: options.installArgs } : {}) });
  return { ...rendered, installed: install };
}

/** The `@atrium/*` packages are released in lockstep, so create-app's version is theirs. */
export function ownVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
