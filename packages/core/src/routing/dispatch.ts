import { Http404, MethodNotAllowed } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { HttpResponse } from '../http/response.js';
import type { Handler } from '../middleware/types.js';

/**
 * The end of the middleware chain: find the route for `request.path`, set
 * `request.params` and `request.routeName`, and call the view for the method.
 * HEAD runs the GET view (the server adapter drops the body); OPTIONS without
 * a view of its own gets 204 with `Allow`; any other method without a view
 * throws MethodNotAllowed (405 with `Allow`); no route throws Http404 listing
 * the patterns tried. Trailing-slash redirects belong to CommonMiddleware.
 * @example const handler = compose(middleware, dispatch);
 */
export const dispatch: Handler = async (request) => dispatchRequest(request);

/**
 * `dispatch` without the promise wrapper: returns what the view returns (a
 * response, or a promise of one) and throws synchronously when no route or
 * method matches. The application uses it so that a synchronous view costs no
 * promise and no microtask before the middleware's response phases run.
 * @example const result = dispatchRequest(request); const response = result instanceof HttpResponse ? result : await result;
 */
export function dispatchRequest(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
  const router = request.app.router;
  const path = request.path;
  const match = router.resolve(path);
  if (match === null) throw new Http404(`No route matches the path '${path}'.`, { tried: router.patterns() });
  request.params = match.params;
  request.routeName = match.name;

  const method = request.method;
  const handlers = match.handlers;
  const view = handlers[method] ?? (method === 'HEAD' ? handlers['GET'] : undefined) ?? handlers['*'];
  if (view !== undefined) return view(request, match.params);
  if (method === 'OPTIONS') return new HttpResponse(null, { status: 204, headers: { allow: match.allowed.join(', ') } });
  throw new MethodNotAllowed(method, match.allowed);
}
