import { ImproperlyConfigured } from '../errors.js';
import type { MiddlewareFactory } from '../middleware/types.js';
import type { AppConfig } from './app-config.js';

/**
 * The installed apps, in INSTALLED_APPS order. Packages find each other's
 * contributions here instead of importing each other.
 */
export class AppRegistry {
  readonly #apps: readonly AppConfig[];
  readonly #byLabel = new Map<string, AppConfig>();

  constructor(apps: readonly AppConfig[]) {
    for (const app of apps) {
      const other = this.#byLabel.get(app.label);
      if (other) {
        throw new ImproperlyConfigured(
          `App label '${app.label}' is used by both '${other.name}' and '${app.name}'; labels must be unique — give one of them another label in its defineApp().`,
        );
      }
      this.#byLabel.set(app.label, app);
    }
    this.#apps = apps;
  }

  all(): readonly AppConfig[] {
    return this.#apps;
  }

  has(label: string): boolean {
    return this.#byLabel.has(label);
  }

  get(label: string): AppConfig {
    const app = this.#byLabel.get(label);
    if (!app) {
      const known = [...this.#byLabel.keys()].join(', ') || '(none)';
      throw new ImproperlyConfigured(`No installed app with label '${label}'; installed: ${known}. Add it to INSTALLED_APPS.`);
    }
    return app;
  }

  /** The middleware factory an app offers under `name`, if any. */
  middleware(name: string): MiddlewareFactory | undefined {
    for (const app of this.#apps) {
      const factory = app.middleware[name];
      if (factory) return factory;
    }
    return undefined;
  }

  /** Every app's contribution under an extension key (e.g. 'contextProcessors'). */
  extensions<T>(key: string): Array<{ app: AppConfig; value: T }> {
    const out: Array<{ app: AppConfig; value: T }> = [];
    for (const app of this.#apps) {
      if (key in app.extensions) out.push({ app, value: app.extensions[key] as T });
    }
    return out;
  }
}
