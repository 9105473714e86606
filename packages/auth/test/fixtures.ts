import { createApplication, type Application, type RouteEntry } from '@atrium/core';
import authApp from '../src/app.js';

export const SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

/** An application with the auth app installed and no template backend, driven by TestClient. */
export async function authApplication(routes: readonly RouteEntry[], settings: Record<string, unknown> = {}): Promise<Application> {
  return createApplication({
    settings: {
      SECRET_KEY,
      ALLOWED_HOSTS: ['testserver'],
      MIDDLEWARE: ['sessions', 'csrf', 'messages'],
      ...settings,
    },
    routes,
    apps: [authApp],
    templates: null,
    env: {},
  });
}

/** A controllable clock for stores and throttles. */
export function fakeClock(start = Date.UTC(2024, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
