import type { MiddlewareFactory } from '../middleware/types.js';
import type { AppContext } from '../app/context.js';

/**
 * An installed app. User apps are folders; framework features (auth, admin,
 * sessions) are apps too and plug in through these fields, never by being
 * imported by the core. Its `manage` commands are not a field: each is a file
 * of the `commands/` folder beside the app module (see findCommandFiles), so
 * `manage --help` lists them without importing the app.
 */
export interface AppConfig {
  /** Unique short name: table prefixes, template namespaces, permissions ('blog'). */
  label: string;
  /** The INSTALLED_APPS entry it was loaded from. */
  name: string;
  /** Absolute folder holding `templates/`, `static/`, `migrations/`... */
  path: string;
  verboseName: string;
  /** Middleware the app offers, by the name MIDDLEWARE uses ('sessions', 'csrf'). */
  middleware: Readonly<Record<string, MiddlewareFactory>>;
  /** Free-form contributions read by other packages (template context processors, admin sites...). */
  extensions: Readonly<Record<string, unknown>>;
  /** Runs once after every app is loaded and settings are validated. */
  ready?: (app: AppContext) => void | Promise<void>;
}

export interface AppDefinition {
  label: string;
  verboseName?: string;
  /** Defaults to the folder of the module that calls defineApp (pass `import.meta.dirname`). */
  path: string;
  middleware?: Record<string, MiddlewareFactory>;
  extensions?: Record<string, unknown>;
  ready?: (app: AppContext) => void | Promise<void>;
}

/**
 * Declare an app, in the app folder's `app.ts` (or a package's `app` export).
 * @example export default defineApp({ label: 'blog', path: import.meta.dirname });
 */
export function defineApp(definition: AppDefinition): AppConfig {
  if (!/^[a-z_][a-z0-9_]*$/.test(definition.label)) {
    throw new TypeError(`App label '${definition.label}' is invalid; use lower-case letters, digits and underscores, starting with a letter.`);
  }
  if ('commands' in definition) {
    // JavaScript callers get no type error, so say where commands go now.
    throw new TypeError(
      `defineApp({ label: '${definition.label}', commands }) is not supported: put each command in the app's commands/ folder, one file per command named after it (commands/greet.ts with export default { name: 'greet', ... }).`,
    );
  }
  return {
    label: definition.label,
    name: definition.label,
    path: definition.path,
    verboseName: definition.verboseName ?? definition.label.replace(/_/g, ' '),
    middleware: definition.middleware ?? {},
    extensions: definition.extensions ?? {},
    ...(definition.ready ? { ready: definition.ready } : {}),
  };
}
