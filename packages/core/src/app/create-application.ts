import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { validateSettings } from '../settings/validate-settings.js';
import type { Settings, SettingsInput } from '../settings/schema.js';
import { AppRegistry } from '../apps/app-registry.js';
import type { AppConfig } from '../apps/app-config.js';
import { loadApps } from '../apps/load-apps.js';
import { Router, type RouterOptions } from '../routing/router.js';
import type { RouteEntry } from '../routing/path.js';
import { dispatchRequest } from '../routing/dispatch.js';
import { buildChain } from '../middleware/middleware-chain.js';
import { applicationGateway, RESPOND } from './application-gateway.js';
import type { Handler, MiddlewareFactory } from '../middleware/types.js';
import { builtinMiddleware } from '../middleware/builtin-middleware.js';
import { staticMiddleware } from '../staticfiles/static-middleware.js';
import { errorResponse } from '../debug/error-response.js';
import { cookieSigner } from './cookie-signer.js';
import { closeCaches } from '../cache/app-caches.js';
import type { AppContext } from './context.js';
import type { TemplateBackend, TemplateBackendFactory } from '../templates/template-backend.js';
import { realtimeSettings } from '../realtime/realtime-settings.js';
import { closeChannelLayers } from '../realtime/channels/channel-layers.js';

/** The gateway interface: every server adapter (node:http, test client) drives this. */
export interface Application {
  readonly context: AppContext;
  handle(request: HttpRequest): Promise<HttpResponse>;
  /** Release resources (database pools, watchers) contributed by apps. */
  close(): Promise<void>;
}

export interface CreateApplicationOptions {
  /** Raw settings; validated here (environment overrides applied) unless already validated. */
  settings: SettingsInput | Settings;
  routes: readonly RouteEntry[];
  /** Project folder; relative settings paths resolve against it. Defaults to the current directory. */
  root?: string;
  /** Installed apps; loaded from INSTALLED_APPS when omitted. */
  apps?: readonly AppConfig[];
  /** A template backend; loaded from TEMPLATES.BACKEND when omitted (null: none). */
  templates?: TemplateBackend | null;
  /** Where settings came from, for error messages. */
  settingsSource?: string;
  /** Environment used for ATRIUM_* overrides (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Custom path converters by name (`<year:y>`); a ROOT_URLCONF module may export them as `converters`. */
  converters?: RouterOptions['converters'];
  /** Settings already validated: skip validation (used by loadProject). */
  validated?: boolean;
}

const builtins: Record<string, MiddlewareFactory> = { ...builtinMiddleware, static: staticMiddleware };

/**
 * Wire a project in one place, top to bottom: settings, apps, routes,
 * templates, middleware, then each app's ready() hook.
 * @example
 * const app = await createApplication({ settings: { SECRET_KEY, ALLOWED_HOSTS: ['localhost'] }, routes: [path('', home)] });
 * await serve(app, { port: 8000 });
 */
export async function createApplication(options: CreateApplicationOptions): Promise<Application> {
  const root = options.root ?? process.cwd();
  const settings: Settings = options.validated
    ? (options.settings as Settings)
    : validateSettings(options.settings as Record<string, unknown>, {
        ...(options.env ? { env: options.env } : {}),
        ...(options.settingsSource ? { source: options.settingsSource } : {}),
      });
  realtimeSettings(settings);
  const apps = new AppRegistry(options.apps ?? (await loadApps(settings.INSTALLED_APPS, root)));
  const router = new Router(options.routes, options.converters ? { converters: options.converters } : {});
  const signCookie = cookieSigner(settings);

  const context: AppContext = {
    settings,
    root,
    apps,
    router,
    templates: null,
    reverse: (name, params) => router.reverse(name, params),
    signCookie: signCookie.sign,
    unsignCookie: signCookie.unsign,
  };
  (context as { templates: TemplateBackend | null }).templates =
    options.templates !== undefined ? options.templates : await loadTemplateBackend(context, options.settings as Record<string, unknown>);

  const layers = settings.MIDDLEWARE.map((entry) => resolveMiddleware(entry, apps)(context));
  // Each layer's errors become responses at that layer (so outer layers still
  // add their headers to error pages); the outermost layer's are converted below.
  const handler = buildChain(layers, dispatchRequest, errorResponse);

  for (const app of apps.all()) await app.ready?.(context);

  const gateway = applicationGateway(context, handler);

  const application: Application & { [RESPOND]: typeof gateway.respond } = {
    context,
    handle: gateway.handle,
    // The callback form of handle() for this package's server adapters; a symbol key, so not part of the interface.
    [RESPOND]: gateway.respond,
    async close() {
      await closeChannelLayers(context);
      for (const app of apps.all()) {
        const onClose = app.extensions['close'];
        if (typeof onClose === 'function') await (onClose as (app: AppContext) => Promise<void>)(context);
      }
      await closeCaches(context);
    },
  };
  return application;
}

function resolveMiddleware(entry: string | MiddlewareFactory, apps: AppRegistry): MiddlewareFactory {
  if (typeof entry === 'function') return entry;
  const factory = builtins[entry] ?? apps.middleware(entry);
  if (!factory) {
    const known = [...Object.keys(builtins), ...apps.all().flatMap((a) => Object.keys(a.middleware))];
    throw new ImproperlyConfigured(
      `MIDDLEWARE entry '${entry}' is unknown; known names: ${known.join(', ')}. Install the app that provides it or pass a factory function.`,
    );
  }
  return factory;
}

async function loadTemplateBackend(context: AppContext, rawSettings: Record<string, unknown>): Promise<TemplateBackend | null> {
  const backendName = context.settings.TEMPLATES.BACKEND;
  const explicit = typeof rawSettings['TEMPLATES'] === 'object' && rawSettings['TEMPLATES'] !== null && 'BACKEND' in rawSettings['TEMPLATES'];
  let resolved: string;
  try {
    resolved = createRequire(join(context.root, 'package.json')).resolve(backendName);
  } catch (cause) {
    // The default backend is optional: an API-only project may not install it.
    if (!explicit) return null;
    throw new ImproperlyConfigured(`TEMPLATES.BACKEND '${backendName}' cannot be found from ${context.root}; install it (npm install ${backendName}).`, { cause });
  }
  const mod = (await import(pathToFileURL(resolved).href)) as { createTemplateBackend?: TemplateBackendFactory };
  if (typeof mod.createTemplateBackend !== 'function') {
    throw new ImproperlyConfigured(`TEMPLATES.BACKEND '${backendName}' does not export createTemplateBackend(context).`);
  }
  return mod.createTemplateBackend(context);
}

export type { Handler };
