import { createApplication, type Application, type RouteEntry } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';

/** An application with the given routes (no templates unless given) and a test client for it. */
export async function testApp(routes: readonly RouteEntry[], options: { templates?: boolean; root?: string; settings?: Record<string, unknown> } = {}): Promise<{ app: Application; client: TestClient }> {
  const app = await createApplication({
    settings: {
      SECRET_KEY: 'forms-test-secret-key-0123456789abcdefghijklmnop',
      ALLOWED_HOSTS: ['testserver'],
      INSTALLED_APPS: [],
      ...(options.templates ? {} : { TEMPLATES: { BACKEND: '@atrium/templates', DIRS: [], APP_DIRS: true, OPTIONS: {} } }),
      ...options.settings,
    },
    routes,
    ...(options.templates ? {} : { templates: null }),
    ...(options.root ? { root: options.root } : {}),
  });
  return { app, client: new TestClient(app) };
}
