import { AtriumError } from '../errors.js';
import type { Handler, Middleware } from './types.js';

/**
 * Compose middleware around `endpoint` once, at start-up. The first middleware
 * in the list is the outermost layer, as in Django's MIDDLEWARE.
 */
export function compose(middleware: readonly Middleware[], endpoint: Handler): Handler {
  let handler = endpoint;
  for (let i = middleware.length - 1; i >= 0; i--) {
    handler = wrap(middleware[i]!, handler, i);
  }
  return handler;
}

function wrap(layer: Middleware, inner: Handler, index: number): Handler {
  return (request) => {
    let called = false;
    return layer(request, (req) => {
      if (called) {
        return Promise.reject(
          new AtriumError('E_NEXT_CALLED_TWICE', `Middleware #${index} (${layer.name || 'anonymous'}) called next() twice; call it once and return its response.`),
        );
      }
      called = true;
      return inner(req);
    });
  };
}
