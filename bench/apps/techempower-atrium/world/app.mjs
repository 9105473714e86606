import { defineApp, phasedMiddleware } from '@atrium/core';

/**
 * The world app: the World and Fortune models, the TechEmpower views, the
 * fortunes template, and the 'server' middleware.
 */
export default defineApp({
  label: 'world',
  verboseName: 'World',
  path: import.meta.dirname,
  middleware: {
    // TechEmpower requires a Server header on every response; no await needed, so phases (docs/views.md).
    server: () =>
      phasedMiddleware({
        response: (request, response) => {
          response.headers.set('server', 'atrium');
          return response;
        },
      }),
  },
});
