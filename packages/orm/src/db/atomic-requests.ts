import type { Middleware, MiddlewareFactory } from '@atrium/core';
import { atomic } from './transaction.js';

/** Carries a 5xx response out of atomic() so the transaction rolls back. */
class RollbackResponse {
  constructor(readonly response: Awaited<ReturnType<Middleware>>) {}
}

/**
 * Middleware running each request in a transaction on `alias` (Django's
 * ATOMIC_REQUESTS): committed when the response is below 500, rolled back
 * when the view throws or answers 5xx (errors reach this layer as 500
 * responses, so the status is what tells). Offered by the orm app as
 * MIDDLEWARE entry 'atomic' for the default database.
 * @example
 * // settings: MIDDLEWARE: ['security', 'common', 'atomic']
 * // or for another alias: MIDDLEWARE: [atomicRequestsFor('replica')]
 */
export function atomicRequestsFor(alias = 'default'): MiddlewareFactory {
  return () => async (request, next) => {
    try {
      return await atomic(
        async () => {
          const response = await next(request);
          if (response.status >= 500) throw new RollbackResponse(response);
          return response;
        },
        { using: alias },
      );
    } catch (error) {
      if (error instanceof RollbackResponse) return error.response;
      throw error;
    }
  };
}

/** `atomicRequestsFor('default')`. */
export const atomicRequests: MiddlewareFactory = atomicRequestsFor('default');
