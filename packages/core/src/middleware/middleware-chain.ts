import { AtriumError } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import { phasesOf, type MiddlewarePhases } from './middleware-phases.js';
import type { Handler, Middleware } from './types.js';

/**
 * A handler that may answer synchronously. Inside the chain a synchronous
 * view's response travels without a promise; user middleware still only ever
 * sees promises from `next()`.
 */
export type ChainStep = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** Turns anything thrown into a response; must never reject (the application passes `errorResponse`). */
export type ErrorConverter = (error: unknown, request: HttpRequest) => Promise<HttpResponse>;

/**
 * Build an application's handler from its middleware (outermost first) and
 * endpoint, once at start-up. Unlike `compose()`, an error thrown in a layer
 * (or below it) becomes a response at that layer, as Django's
 * convert_exception_to_response does, so outer layers still add their
 * headers to 404 and 500 pages. Two things keep a request cheap:
 * - consecutive layers with phases (`withPhases`) run as one synchronous step;
 * - the outermost layer's errors are left to the caller, which must convert
 *   them with the same `onError` (the application does): that saves a
 *   promise per request, for the same response.
 * `next()` called twice by one layer rejects with E_NEXT_CALLED_TWICE, as in compose().
 * @example const handler = buildChain(layers, dispatchRequest, errorResponse);
 */
export function buildChain(middleware: readonly Middleware[], endpoint: ChainStep, onError: ErrorConverter): ChainStep {
  let inner = endpoint;
  /** Whether `inner` already turns its errors into responses (the raw endpoint does not). */
  let innerConverts = false;
  let i = middleware.length - 1;
  while (i >= 0) {
    if (phasesOf(middleware[i]!) !== undefined) {
      let first = i;
      while (first > 0 && phasesOf(middleware[first - 1]!) !== undefined) first--;
      const phases = middleware.slice(first, i + 1).map((layer) => phasesOf(layer)!);
      inner = phasedStep(phases, inner, onError);
      innerConverts = true;
      i = first - 1;
    } else {
      const next = innerConverts ? inner : converting(inner, onError);
      inner = layerStep(middleware[i]!, i, next, i === 0 ? null : onError);
      innerConverts = i !== 0;
      i--;
    }
  }
  return inner;
}

/** `step` with its errors (thrown or rejected) turned into responses. */
function converting(step: ChainStep, onError: ErrorConverter): ChainStep {
  return (request) => {
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = step(request);
    } catch (error) {
      return onError(error, request);
    }
    if (result instanceof HttpResponse) return result;
    return Promise.resolve(result).then(undefined, (error: unknown) => onError(error, request));
  };
}

/**
 * One function middleware around `inner` (which never rejects). With
 * `onError` null its errors propagate to the caller.
 */
function layerStep(layer: Middleware, index: number, inner: ChainStep, onError: ErrorConverter | null): ChainStep {
  return (request) => {
    let called = false;
    const next: Handler = (req) => {
      if (called) {
        return Promise.reject(
          new AtriumError('E_NEXT_CALLED_TWICE', `Middleware #${index} (${layer.name || 'anonymous'}) called next() twice; call it once and return its response.`),
        );
      }
      called = true;
      return Promise.resolve(inner(req));
    };
    if (onError === null) return layer(request, next);
    try {
      return layer(request, next).then(undefined, (error: unknown) => onError(error, request));
    } catch (error) {
      return onError(error, request);
    }
  };
}

/**
 * Consecutive phased layers around `inner`, run synchronously: request
 * phases outermost first, then `inner`, then response phases innermost first.
 * An error in a phase becomes an error page at that layer, which the layers
 * outside it then see, exactly as with their function forms.
 */
function phasedStep(phases: readonly MiddlewarePhases[], inner: ChainStep, onError: ErrorConverter): ChainStep {
  // Only the phases that exist, in order: a layer often has just one of the
  // two (a header adder has no request phase), and these loops run on every
  // request. `responsesBelow[i]` counts the response phases of the layers
  // outside request phase i's layer: those that see its early response.
  const requestPhases: Array<NonNullable<MiddlewarePhases['request']>> = [];
  const responsesBelow: number[] = [];
  const responsePhases: Array<NonNullable<MiddlewarePhases['response']>> = [];
  for (const { request, response } of phases) {
    if (request !== undefined) {
      requestPhases.push(request);
      responsesBelow.push(responsePhases.length);
    }
    if (response !== undefined) responsePhases.push(response);
  }

  /** Run response phases `count - 1` down to 0 (innermost first); one that throws passes an error page to those outside it. */
  const unwind = (request: HttpRequest, response: HttpResponse, count: number): HttpResponse | Promise<HttpResponse> => {
    for (let k = count - 1; k >= 0; k--) {
      try {
        response = responsePhases[k]!(request, response);
      } catch (error) {
        return onError(error, request).then((page) => unwind(request, page, k));
      }
    }
    return response;
  };
  const all = responsePhases.length;

  return (request) => {
    for (let k = 0; k < requestPhases.length; k++) {
      let early: HttpResponse | undefined;
      try {
        early = requestPhases[k]!(request);
      } catch (error) {
        const below = responsesBelow[k]!;
        return onError(error, request).then((page) => unwind(request, page, below));
      }
      if (early !== undefined) return unwind(request, early, responsesBelow[k]!);
    }
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = inner(request);
    } catch (error) {
      return onError(error, request).then((page) => unwind(request, page, all));
    }
    if (result instanceof HttpResponse) return unwind(request, result, all);
    return Promise.resolve(result).then(
      (response) => unwind(request, response, all),
      (error: unknown) => onError(error, request).then((page) => unwind(request, page, all)),
    );
  };
}
