import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import { authSettings } from '../settings.js';
import type { AuthenticationBackend } from './authentication-backend.js';
import { ModelBackend } from './model-backend.js';

/** Builds a backend for a project; register one with `registerAuthenticationBackend`. */
export type AuthenticationBackendFactory = (app: AppContext) => AuthenticationBackend;

const factories = new Map<string, AuthenticationBackendFactory>([['model', () => new ModelBackend()]]);

/**
 * Make a backend available to AUTHENTICATION_BACKENDS under `name`.
 * @example registerAuthenticationBackend('owner', () => ownerBackend);
 */
export function registerAuthenticationBackend(name: string, factory: AuthenticationBackendFactory): void {
  factories.set(name, factory);
}

const byApp = new WeakMap<AppContext, readonly AuthenticationBackend[]>();

/**
 * The backends AUTHENTICATION_BACKENDS lists, in order, built once per
 * project; an unknown name throws ImproperlyConfigured.
 * @example for (const backend of authenticationBackends(request.app)) console.log(backend.name);
 */
export function authenticationBackends(app: AppContext): readonly AuthenticationBackend[] {
  let backends = byApp.get(app);
  if (!backends) {
    backends = Object.freeze(
      authSettings(app).AUTHENTICATION_BACKENDS.map((name, index) => {
        const factory = factories.get(name);
        if (!factory) {
          throw new ImproperlyConfigured(
            `AUTHENTICATION_BACKENDS[${index}] is '${name}', which is not a known backend; known: ${[...factories.keys()].join(', ')}. Fix the name or call registerAuthenticationBackend('${name}', factory) before start-up.`,
          );
        }
        return factory(app);
      }),
    );
    byApp.set(app, backends);
  }
  return backends;
}

/** The backends user objects ask permission questions of (the auth app's ready() installs the project's). */
let current: readonly AuthenticationBackend[] | null = null;

/**
 * Make `backends` the ones `user.hasPerm()` consults. Called by the auth app's ready().
 * @example setDefaultAuthenticationBackends([new ModelBackend(), ownerBackend]);
 */
export function setDefaultAuthenticationBackends(backends: readonly AuthenticationBackend[]): void {
  current = backends;
}

/**
 * The backends `user.hasPerm()` consults: the running project's, or the model backend alone before start-up.
 * @example defaultAuthenticationBackends()[0]!.name // 'model'
 */
export function defaultAuthenticationBackends(): readonly AuthenticationBackend[] {
  current ??= [new ModelBackend()];
  return current;
}
