import { resolve } from 'node:path';
import { Http404 } from '../errors.js';
import type { AppContext } from '../app/context.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { sendFile } from '../http/send-file.js';
import type { Middleware, MiddlewareFactory } from '../middleware/types.js';
import { StaticFinder, normaliseStaticPath, resolveInside } from './finders.js';
import { loadManifest } from './manifest.js';

const ONE_YEAR = 31_536_000;
/** Unhashed names may change at the next deploy, so browsers re-check them soon. */
const SHORT_MAX_AGE = 60;

/**
 * Serves files below a local STATIC_URL ('/static/') for GET and HEAD: with
 * DEBUG from the finders (project STATICFILES_DIRS, then apps' `static/`),
 * otherwise from STATIC_ROOT when it is set, so `manage runserver` and a simple
 * production run work without nginx. Hashed names from the collectstatic
 * manifest are cached for a year. Unsafe paths are a 404, never a file outside.
 * Listed in MIDDLEWARE as 'static'.
 * @example defineSettings({ MIDDLEWARE: ['security', 'static', 'common'], STATIC_ROOT: 'staticfiles' })
 */
export const staticMiddleware: MiddlewareFactory = (app: AppContext): Middleware => {
  const { STATIC_URL, STATIC_ROOT, DEBUG } = app.settings;
  // An absolute STATIC_URL (a CDN) is served elsewhere; nothing to do here.
  if (!STATIC_URL.startsWith('/')) return passThrough;
  const serve = DEBUG ? serveFromFinders(new StaticFinder({ root: app.root, settings: app.settings, apps: app.apps })) : STATIC_ROOT !== null ? serveFromStaticRoot(resolve(app.root, STATIC_ROOT)) : null;
  if (serve === null) return passThrough;

  return async (request, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.rawPath.startsWith(STATIC_URL)) return next(request);
    const relativePath = decodeStaticPath(request.rawPath.slice(STATIC_URL.length));
    if (relativePath === null) throw new Http404(`'${request.rawPath}' is not a valid static file path`);
    return serve(request, relativePath);
  };
};

const passThrough: Middleware = (request, next) => next(request);

type Serve = (request: HttpRequest, relativePath: string) => Promise<HttpResponse>;

function serveFromFinders(finder: StaticFinder): Serve {
  return async (request, relativePath) => {
    const file = await finder.find(relativePath);
    if (file === null) {
      throw new Http404(`Static file '${relativePath}' was not found in STATICFILES_DIRS or any installed app's static/ folder`);
    }
    const response = await sendFile(request, file);
    // Development: always revalidate, so an edited file shows on the next reload.
    response.headers.set('cache-control', 'no-cache');
    return response;
  };
}

function serveFromStaticRoot(staticRoot: string): Serve {
  // Read the manifest now, so a corrupt one stops start-up rather than failing requests.
  loadManifest(staticRoot);
  return async (request, relativePath) => {
    const file = await resolveInside(staticRoot, relativePath);
    if (file === null) throw new Http404(`Static file '${relativePath}' was not found in STATIC_ROOT; run \`manage collectstatic\` after changing static files`);
    const hashed = loadManifest(staticRoot)?.isHashed(relativePath) ?? false;
    return sendFile(request, file, hashed ? { maxAge: ONE_YEAR, immutable: true } : { maxAge: SHORT_MAX_AGE });
  };
}

/** Percent-decode once and check the result; null for malformed escapes or unsafe paths. */
function decodeStaticPath(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return normaliseStaticPath(decoded);
}
