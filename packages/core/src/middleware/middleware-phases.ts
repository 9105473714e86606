import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { Middleware } from './types.js';

/**
 * The synchronous halves of a middleware whose work needs no `await`, as in
 * Django's `process_request` / `process_response`. A middleware that carries
 * them (see `withPhases`) behaves exactly like its function form, but the
 * application runs consecutive phased layers in one step: no promise, closure
 * or microtask per layer per request.
 */
export interface MiddlewarePhases {
  /**
   * Runs before the inner layers. Returning a response answers the request
   * at once: the inner layers and this layer's `response` phase are skipped,
   * as when the function form returns without calling `next`.
   */
  readonly request?: (request: HttpRequest) => HttpResponse | undefined;
  /**
   * Runs on the response of the inner layers (their errors already turned
   * into error pages) and returns the response to pass outward.
   */
  readonly response?: (request: HttpRequest, response: HttpResponse) => HttpResponse;
}

const PHASES = Symbol('atrium.middlewarePhases');

type PhasedMiddleware = Middleware & { [PHASES]?: MiddlewarePhases };

/**
 * Attach `phases` to `middleware`, its equivalent function form, so that an
 * application can run them without the function's promise. Both must do the
 * same thing; the function form is what `compose()` and direct calls use.
 * @example
 * const addServer = withPhases(async (req, next) => addHeader(await next(req)), { response: (req, res) => addHeader(res) });
 */
export function withPhases<M extends Middleware>(middleware: M, phases: MiddlewarePhases): M {
  (middleware as PhasedMiddleware)[PHASES] = phases;
  return middleware;
}

/**
 * The phases attached to `middleware` by `withPhases`, or undefined.
 * @example phasesOf(securityMiddleware(context))?.response
 */
export function phasesOf(middleware: Middleware): MiddlewarePhases | undefined {
  return (middleware as PhasedMiddleware)[PHASES];
}

/**
 * A middleware written as synchronous phases, for work that needs no
 * `await` (adding a header, refusing a request): Django's
 * `process_request` / `process_response`. It behaves like the equivalent
 * `async (request, next) => ...` function, but the application runs it, and
 * the built-in phased layers next to it, without a promise, closure or
 * microtask per request.
 * @example
 * const poweredBy: MiddlewareFactory = () =>
 *   phasedMiddleware({ response: (request, response) => { response.headers.set('x-powered-by', 'atrium'); return response; } });
 */
export function phasedMiddleware(phases: MiddlewarePhases): Middleware {
  const { request: before, response: after } = phases;
  const layer: Middleware = async (request, next) => {
    const early = before?.(request);
    if (early !== undefined) return early;
    const response = await next(request);
    return after ? after(request, response) : response;
  };
  return withPhases(layer, phases);
}
