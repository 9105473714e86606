// The Atrium side of bench/suites/http.mjs: TechEmpower plaintext and json,
// written the way the docs teach (createApplication + path + serve), with
// the default security and common middleware on.
import { randomBytes } from 'node:crypto';
import { createApplication, json, path, phasedMiddleware, serve, text } from '@atrium/core';

/**
 * Add the Server header TechEmpower requires (Atrium sends none by default,
 * so as not to advertise itself). Outermost, so it sees every response; it
 * needs no await, so it is written as phases (docs/views.md, Middleware).
 */
const serverHeader = () =>
  phasedMiddleware({
    response: (request, response) => {
      response.headers.set('server', 'bench');
      return response;
    },
  });

const app = await createApplication({
  settings: {
    SECRET_KEY: randomBytes(32).toString('hex'),
    DEBUG: false,
    ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
    MIDDLEWARE: [serverHeader, 'security', 'common'],
  },
  routes: [
    path('plaintext', () => text('Hello, World!')),
    path('json', () => json({ message: 'Hello, World!' })),
  ],
});

await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  // Exit cleanly on SIGTERM so `node --cpu-prof` writes its profile.
  handleSignals: true,
});
