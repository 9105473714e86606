import type { MiddlewareFactory } from './types.js';
import { commonMiddleware } from './common.js';
import { securityMiddleware } from './security.js';
import { gzipMiddleware } from './gzip.js';
import { requestLoggingMiddleware } from './request-logging.js';
import { contentSecurityPolicyMiddleware } from './content-security-policy.js';
import { cacheMiddleware, fetchFromCacheMiddleware, updateCacheMiddleware } from '../cache/http/cache-middleware.js';

/**
 * The middleware that MIDDLEWARE settings may name as strings. Order in the
 * setting is the onion order; Django's usual one is
 * `['security', 'gzip', 'common', ...]`, with 'logging' first to time everything
 * (and 'updateCache' ... 'fetchFromCache' around the rest for a site cache).
 * @example export default defineSettings({ MIDDLEWARE: ['logging', 'security', 'gzip', 'common'] });
 */
export const builtinMiddleware: Readonly<Record<string, MiddlewareFactory>> = {
  common: commonMiddleware,
  security: securityMiddleware,
  gzip: gzipMiddleware,
  logging: requestLoggingMiddleware,
  csp: contentSecurityPolicyMiddleware,
  // The site cache: 'updateCache' first and 'fetchFromCache' last, or 'cache' for both at one place.
  updateCache: updateCacheMiddleware,
  fetchFromCache: fetchFromCacheMiddleware,
  cache: cacheMiddleware,
};
