import { fileURLToPath } from 'node:url';

/**
 * The monorepo's `templates/project/` folder, found relative to this module
 * (`dist/` or `src/` inside packages/create-app).
 */
export function defaultProjectTemplateDir(): string {
  return fileURLToPath(new URL('../../../templates/project/', import.meta.url));
}

/** The monorepo root, whose packages/ the `file:` dependencies of `--atrium-source local` point at. */
export function defaultMonorepoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/** The values the template's `{{ name }}` placeholders stand for. */
export interface ProjectTemplateContext {
  project_name: string;
  secret_key: string;
  /** DATABASE_URL without a password, the fallback in settings.ts. */
  database_url_default: string;
  /** What .env.example shows. */
  database_url_example: string;
}

const PLACEHOLDER = /\{\{\s*(project_name|secret_key|database_url_default|database_url_example)\s*\}\}/g;

/**
 * Replace the known placeholders; any other `{{ ... }}` (Nunjucks in the
 * project's HTML templates) is left alone.
 * @example fillPlaceholders('<title>{{ project_name }}</title>', context) // '<title>mysite</title>'
 */
export function fillPlaceholders(text: string, context: ProjectTemplateContext): string {
  return text.replace(PLACEHOLDER, (_match, key: keyof ProjectTemplateContext) => context[key]);
}

// npm drops .gitignore files when it packs a folder, so the template stores them under another name.
const RENAMED_FILES: Record<string, string> = { _gitignore: '.gitignore' };

/**
 * The file name a template file gets in the project.
 * @example targetPath('_gitignore') // '.gitignore'
 */
export function targetPath(templatePath: string): string {
  const parts = templatePath.split('/');
  const last = parts.pop()!;
  return [...parts, RENAMED_FILES[last] ?? last].join('/');
}
