import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { atriumDependencies, type AtriumSource } from './atrium-dependencies.js';
import type { DatabaseChoice } from './database-choice.js';
import { TargetNotEmpty, TemplateMissing } from './errors.js';
import { generateSecretKey } from './generate-secret-key.js';
import { defaultMonorepoRoot, defaultProjectTemplateDir, fillPlaceholders, targetPath, type ProjectTemplateContext } from './project-template.js';
import { validateProjectName } from './validate-project-name.js';

export interface RenderProjectOptions {
  name: string;
  /** Folder the project folder is created in. */
  cwd: string;
  database: DatabaseChoice;
  source: AtriumSource;
  /** Version of the `@atrium/*` packages for `source: 'registry'`. */
  version: string;
  /** Template folder (default: the monorepo's templates/project/). */
  templateDir?: string;
  /** Checkout whose packages/ the local `file:` links point at (default: this monorepo). */
  monorepoRoot?: string;
  /** A fixed key, for tests that compare output; default a fresh random one. */
  secretKey?: string;
}

export interface RenderedProject {
  /** Absolute folder of the new project. */
  projectDir: string;
  /** Files written, relative to `projectDir`, forward slashes, sorted. */
  files: string[];
}

// Files an editor or OS drops into a template folder; never copy them into a user's project.
const IGNORED_FILES = new Set(['.DS_Store', 'Thumbs.db', 'node_modules', 'db.sqlite3', '.env']);

/**
 * Render templates/project/ into `<cwd>/<name>/`: placeholders filled, a fresh
 * SECRET_KEY, the `@atrium/*` dependencies pointed at `source`, and a
 * git-ignored .env holding DATABASE_URL. Refuses a bad name and an existing
 * non-empty folder, and leaves nothing behind when writing fails.
 * @example const { projectDir } = await renderProject({ name: 'mysite', cwd: process.cwd(), database, source: 'local', version: '0.1.0' });
 */
export async function renderProject(options: RenderProjectOptions): Promise<RenderedProject> {
  validateProjectName(options.name);
  const projectDir = resolve(options.cwd, options.name);
  const existed = assertUsableTarget(projectDir);
  const templateDir = options.templateDir ?? defaultProjectTemplateDir();
  if (!existsSync(templateDir)) throw new TemplateMissing(`The project template folder ${templateDir} is missing; reinstall @atrium/create-app.`);

  const context: ProjectTemplateContext = {
    project_name: options.name,
    secret_key: options.secretKey ?? generateSecretKey(),
    database_url_default: options.database.publicUrl,
    database_url_example: options.database.publicUrl,
  };
  // Render everything first, so a bad template leaves no half-written project behind.
  const outputs = new Map<string, Buffer>();
  for (const source of await listFiles(templateDir)) {
    const path = targetPath(relative(templateDir, source).split(sep).join('/'));
    const bytes = await readFile(source);
    // Only text gets placeholders; a binary file (an image) is copied byte for byte.
    outputs.set(path, bytes.includes(0) ? bytes : Buffer.from(fillPlaceholders(bytes.toString('utf8'), context), 'utf8'));
  }
  const packageJson = outputs.get('package.json');
  if (!packageJson) throw new TemplateMissing(`The project template ${templateDir} has no package.json; reinstall @atrium/create-app.`);
  outputs.set('package.json', Buffer.from(withAtriumDependencies(packageJson.toString('utf8'), options), 'utf8'));
  outputs.set('.env', Buffer.from(`# Local settings for this machine; never commit this file.\nDATABASE_URL=${options.database.url}\n`, 'utf8'));

  await mkdir(projectDir, { recursive: true });
  try {
    for (const [path, content] of outputs) {
      const file = join(projectDir, ...path.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { flag: 'wx' });
    }
  } catch (error) {
    if (existed) {
      for (const entry of await readdir(projectDir)) await rm(join(projectDir, entry), { recursive: true, force: true });
    } else {
      await rm(projectDir, { recursive: true, force: true });
    }
    throw error;
  }
  return { projectDir, files: [...outputs.keys()].sort() };
}

/** Refuse a file or a non-empty folder; true when an empty folder is already there. */
function assertUsableTarget(projectDir: string): boolean {
  if (!existsSync(projectDir)) return false;
  if (!statSync(projectDir).isDirectory()) {
    throw new TargetNotEmpty(`${projectDir} already exists and is not a folder; choose another name or move the file away.`);
  }
  if (readdirSync(projectDir).length > 0) {
    throw new TargetNotEmpty(`Folder ${projectDir} already exists and is not empty; choose another name, or empty or remove the folder.`);
  }
  return true;
}

function withAtriumDependencies(text: string, options: RenderProjectOptions): string {
  const manifest = JSON.parse(text) as { dependencies?: Record<string, string> };
  manifest.dependencies = atriumDependencies(manifest.dependencies ?? {}, {
    source: options.source,
    version: options.version,
    monorepoRoot: options.monorepoRoot ?? defaultMonorepoRoot(),
  });
  return `${JSON.stringify(manifest, null, 2)}\n`;
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
