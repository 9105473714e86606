import { createApplication, include, type Application, type RouteEntry } from '@atrium/core';
import ormApp from '@atrium/orm/app';
import { throughModel, type AnyModel } from '@atrium/orm';
import authApp from '../../src/app.js';
import { Argon2Hasher, authModels, authRoutes, registerPasswordHasher, Group, User } from '../../src/index.js';
import { SECRET_KEY } from '../fixtures.js';

/** argon2id at a tiny cost, so tests that create many users stay fast; the timing test uses the real parameters. */
registerPasswordHasher('test_argon2', () => new Argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));

/** The middleware stack of a real project, as the brief asks to test with. */
export const MIDDLEWARE = ['security', 'sessions', 'common', 'csrf', 'auth', 'messages'];

/** The auth tables plus the many-to-many join tables, in dependency order. */
export function authTables(): AnyModel[] {
  return [...authModels, throughModel(Group.fields.permissions), throughModel(User.fields.groups), throughModel(User.fields.userPermissions)];
}

/**
 * A project with the orm and auth apps, templates, the real middleware
 * stack and the account pages under accounts/ (namespace 'auth'), on the
 * database the harness configured as 'default'.
 */
export async function siteApplication(routes: readonly RouteEntry[] = [], settings: Record<string, unknown> = {}): Promise<Application> {
  return createApplication({
    settings: {
      SECRET_KEY,
      ALLOWED_HOSTS: ['testserver'],
      MIDDLEWARE,
      PASSWORD_HASHERS: ['test_argon2'],
      EMAIL_BACKEND: 'memory',
      AUTH_THROTTLE_DELAY_MS: 0,
      TEMPLATES: { DIRS: [], OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } },
      ...settings,
    },
    routes: [include('accounts/', authRoutes, { namespace: 'auth' }), ...routes],
    apps: [ormApp, authApp],
    env: {},
  });
}
