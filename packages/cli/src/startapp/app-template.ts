import { fileURLToPath } from 'node:url';

/**
 * The monorepo's `templates/app/` folder, found relative to this module
 * (`dist/startapp/` or `src/startapp/` inside packages/cli).
 */
export function defaultAppTemplateDir(): string {
  return fileURLToPath(new URL('../../../../templates/app/', import.meta.url));
}

/** The values the placeholders `{{ app_name }}`, `{{ AppName }}` and `{{ appName }}` stand for. */
export interface AppTemplateContext {
  /** The name as given: 'blog_posts'. */
  app_name: string;
  /** PascalCase, for class names and titles: 'BlogPosts'. */
  AppName: string;
  /** camelCase, for variables: 'blogPosts'. */
  appName: string;
}

/**
 * Placeholder values for an app name.
 * @example appTemplateContext('blog_posts') // { app_name: 'blog_posts', AppName: 'BlogPosts', appName: 'blogPosts' }
 */
export function appTemplateContext(name: string): AppTemplateContext {
  const AppName = name
    .split('_')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return { app_name: name, AppName, appName: AppName.charAt(0).toLowerCase() + AppName.slice(1) };
}

const PLACEHOLDER = /\{\{\s*(app_name|AppName|appName)\s*\}\}/g;

/**
 * Replace `{{ app_name }}`, `{{ AppName }}` and `{{ appName }}`; any other
 * `{{ ... }}` (Nunjucks in the app's HTML templates) is left alone.
 * @example fillPlaceholders('{{ app_name }}/index.html', appTemplateContext('blog')) // 'blog/index.html'
 */
export function fillPlaceholders(text: string, context: AppTemplateContext): string {
  return text.replace(PLACEHOLDER, (_match, key: keyof AppTemplateContext) => context[key]);
}
