import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { AppContext } from '../app/context.js';

/** Turns a request into a response; the end of the middleware chain is the router's dispatch. */
export type Handler = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * One layer of the onion. Call `next(request)` at most once; work before it
 * sees the request, work after it sees the response.
 * @example const timing: Middleware = async (req, next) => { const t = Date.now(); const res = await next(req); res.headers.set('server-timing', `app;dur=${Date.now() - t}`); return res; };
 */
export type Middleware = (request: HttpRequest, next: Handler) => Promise<HttpResponse>;

/** Builds a middleware once at start-up, with the settings in reach. Listed in MIDDLEWARE by name or value. */
export type MiddlewareFactory = (app: AppContext) => Middleware;
