import { defineApp } from '@atrium/core';

/**
 * The world app: the World and Fortune models, the TechEmpower views, the
 * fortunes template, and the 'server' middleware.
 */
export default defineApp({
  label: 'world',
  verboseName: 'World',
  path: import.meta.dirname,
  middleware: {
    // TechEmpower requires a Server header on every response.
    server: () => async (request, next) => {
      const response = await next(request);
      response.headers.set('server', 'atrium');
      return response;
    },
  },
});
