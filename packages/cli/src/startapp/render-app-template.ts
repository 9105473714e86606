import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidAppName } from '../errors.js';
import { appTemplateContext, defaultAppTemplateDir, fillPlaceholders } from './app-template.js';
import { validateAppName } from './validate-app-name.js';

export interface RenderAppOptions {
  name: string;
  /** Folder the app folder is created in (default: `cwd`). */
  directory?: string;
  cwd: string;
  /** Template folder (default: the monorepo's templates/app/). */
  templateDir?: string;
}

export interface RenderedApp {
  /** Absolute folder of the new app. */
  appDir: string;
  /** Files written, relative to `appDir`, forward slashes, sorted. */
  files: string[];
}

// Files an editor or OS drops into a template folder; never copy them into a user's app.
const IGNORED_FILES = new Set(['.DS_Store', 'Thumbs.db']);

/**
 * Render the app template into `<directory>/<name>/`, replacing `{{ app_name }}`
 * and `{{ AppName }}` in file names and contents. Refuses invalid or reserved
 * names and an existing target, and writes nothing in that case.
 * @example const { appDir, files } = await renderAppTemplate({ name: 'blog', cwd: process.cwd() });
 */
export async function renderAppTemplate(options: RenderAppOptions): Promise<RenderedApp> {
  validateAppName(options.name);
  const parent = resolve(options.cwd, options.directory ?? '.');
  const appDir = join(parent, options.name);
  if (existsSync(appDir)) {
    throw new InvalidAppName(`'${options.name}' clashes with an existing file or folder (${appDir}); choose another name or remove it.`);
  }
  const templateDir = options.templateDir ?? defaultAppTemplateDir();
  if (!existsSync(templateDir)) throw new InvalidAppName(`The app template folder ${templateDir} is missing; reinstall @atrium/cli.`);

  const context = appTemplateContext(options.name);
  // Render everything first, so a bad template leaves no half-written app behind.
  const outputs: Array<{ path: string; content: Buffer }> = [];
  for (const source of await listFiles(templateDir)) {
    const target = fillPlaceholders(relative(templateDir, source).split(sep).join('/'), context);
    const bytes = await readFile(source);
    // Only text gets placeholders; a binary file (an image) is copied byte for byte.
    const content = bytes.includes(0) ? bytes : Buffer.from(fillPlaceholders(bytes.toString('utf8'), context), 'utf8');
    outputs.push({ path: target, content });
  }
  outputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  await mkdir(parent, { recursive: true });
  await mkdir(appDir);
  try {
    for (const output of outputs) {
      const file = join(appDir, ...output.path.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, output.content, { flag: 'wx' });
    }
  } catch (error) {
    await rm(appDir, { recursive: true, force: true });
    throw error;
  }
  return { appDir, files: outputs.map((o) => o.path) };
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (IGNORED_FILES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
