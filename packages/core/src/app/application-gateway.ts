import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import { serializeCookies } from '../http/cookies.js';
import { errorResponse } from '../debug/error-response.js';
import type { ChainStep } from '../middleware/middleware-chain.js';
import type { AppContext } from './context.js';

/**
 * Key of the callback form of `handle()` on applications made by
 * createApplication: `app[RESPOND](request, done, token)` calls
 * `done(response, request, token)` as soon as the response is final,
 * synchronously when no layer awaited. The node adapter uses it to write a
 * response in the turn it becomes ready, without the extra promise and
 * microtask of `handle()`.
 */
export const RESPOND = Symbol('atrium.respond');

/**
 * Receives the final response (errors already turned into error pages) with
 * the request and the caller's token; must not throw. The request and token
 * are passed back so that a server can use one `done` for every request
 * (the node adapter passes its ServerResponse as the token) instead of a
 * closure per request.
 */
export type RespondCallback<T> = (response: HttpResponse, request: HttpRequest, token: T) => void;

/** The callback form of `handle()`: see RESPOND. */
export type Respond = <T>(request: HttpRequest, done: RespondCallback<T>, token: T) => void;

/**
 * The callback form of `app.handle`, when `app` has one (applications made
 * by createApplication do; a hand-written Application need not).
 * @example const respond = respondOf(app); if (respond) respond(request, (response, request, res) => write(res, response), res);
 */
export function respondOf(app: object): Respond | undefined {
  const respond = (app as { [RESPOND]?: unknown })[RESPOND];
  return typeof respond === 'function' ? (respond as Respond) : undefined;
}

/**
 * The entry point of an application over its middleware chain: run the
 * chain, then serialize the response's cookies and run the request's
 * onFinish callbacks. Errors the chain leaves to its caller (those of the
 * outermost layer) and cookie errors become error pages here.
 * @example const { handle, respond } = applicationGateway(context, buildChain(layers, dispatchRequest, errorResponse));
 */
export function applicationGateway(context: AppContext, chain: ChainStep): { handle(request: HttpRequest): Promise<HttpResponse>; respond: Respond } {
  const failed = async (error: unknown, request: HttpRequest): Promise<HttpResponse> => {
    const response = await errorResponse(error, request);
    if (request.hasFinishCallbacks) await request.finish();
    return response;
  };
  /** Cookies and onFinish callbacks; a response or, when there is waiting to do, its promise. */
  const completed = (response: HttpResponse, request: HttpRequest): HttpResponse | Promise<HttpResponse> => {
    try {
      if (response.hasCookies) serializeCookies(response, context.signCookie);
    } catch (error) {
      return failed(error, request);
    }
    return request.hasFinishCallbacks ? request.finish().then(() => response) : response;
  };
  const deliver = <T>(result: HttpResponse | Promise<HttpResponse>, request: HttpRequest, done: RespondCallback<T>, token: T): void => {
    if (result instanceof HttpResponse) done(result, request, token);
    else void result.then((response) => done(response, request, token));
  };

  // Plain functions and callbacks rather than async functions: per request
  // this allocates less and resumes fewer microtasks, and a synchronous chain
  // answers within the call.
  const respond: Respond = (request, done, token) => {
    request.app = context;
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = chain(request);
    } catch (error) {
      deliver(failed(error, request), request, done, token);
      return;
    }
    if (result instanceof HttpResponse) {
      deliver(completed(result, request), request, done, token);
      return;
    }
    Promise.resolve(result).then(
      (response) => deliver(completed(response, request), request, done, token),
      (error: unknown) => deliver(failed(error, request), request, done, token),
    );
  };
  return {
    handle: (request) => new Promise<HttpResponse>((resolve) => respond(request, resolve, undefined)),
    respond,
  };
}
