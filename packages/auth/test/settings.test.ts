import { describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { findCommandFiles, importCommand, locateApp } from '@atrium/core/discovery';
import authApp, { closeAuthStores } from '../src/app.js';
import { authSettings, defaultPasswordHashers, parseAuthSettings, sessionStore, type Argon2Hasher, type RedisSessionStore } from '../src/index.js';
import { authApplication } from './fixtures.js';

describe('auth settings', () => {
  it('has secure defaults', () => {
    const s = parseAuthSettings({});
    expect(s.ARGON2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(s.SESSION_COOKIE_HTTPONLY).toBe(true);
    expect(s.SESSION_COOKIE_SAMESITE).toBe('lax');
    expect(s.CSRF_COOKIE_SAMESITE).toBe('lax');
    expect(s.CSRF_COOKIE_NAME).toBe('csrftoken');
    expect(s.SESSION_COOKIE_NAME).toBe('sessionid');
    expect(s.SESSION_STORE_FAILURE).toBe('error');
    expect(s.AUTH_PASSWORD_VALIDATORS.map((v) => v.NAME)).toEqual([
      'UserAttributeSimilarityValidator',
      'MinimumLengthValidator',
      'CommonPasswordValidator',
      'NumericPasswordValidator',
    ]);
  });

  it('refuses argon2 parameters below the OWASP minimum, naming the key', () => {
    expect(() => parseAuthSettings({ ARGON2: { memoryCost: 4096 } })).toThrow(ImproperlyConfigured);
    expect(() => parseAuthSettings({ ARGON2: { memoryCost: 4096 } })).toThrow(/ARGON2\.memoryCost is 4096: must be at least 19456 KiB/);
    expect(() => parseAuthSettings({ ARGON2: { timeCost: 1 } })).toThrow(/ARGON2\.timeCost is 1/);
  });

  it('names every bad key, its value and the expectation', () => {
    let message = '';
    try {
      parseAuthSettings({ SESSION_COOKIE_AGE: -5, CSRF_TRUSTED_ORIGINS: ['example.com'], SESSION_COOKIE_SAMESITE: 'sometimes', EMAIL_HOST_PASSWORD: 5 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SESSION_COOKIE_AGE is -5/);
    expect(message).toMatch(/CSRF_TRUSTED_ORIGINS\.0 is "example\.com": must be a scheme and host without a path/);
    expect(message).toMatch(/SESSION_COOKIE_SAMESITE is "sometimes"/);
    expect(message).toMatch(/EMAIL_HOST_PASSWORD is \(hidden\)/);
  });

  it('refuses SameSite=None without Secure', () => {
    expect(() => parseAuthSettings({ SESSION_COOKIE_SAMESITE: 'none' })).toThrow(/SESSION_COOKIE_SAMESITE is 'none' but SESSION_COOKIE_SECURE is false/);
    expect(parseAuthSettings({ SESSION_COOKIE_SAMESITE: 'none', SESSION_COOKIE_SECURE: true }).SESSION_COOKIE_SAMESITE).toBe('none');
  });

  it('stops start-up on a bad auth setting, even without auth middleware', async () => {
    await expect(authApplication([], { MIDDLEWARE: [], LOGIN_URL: '' })).rejects.toThrow(/LOGIN_URL is ""/);
  });
});

describe('the auth app', () => {
  it('is an installed app offering sessions, csrf, auth and messages middleware and its commands', async () => {
    expect(authApp.label).toBe('auth');
    expect(Object.keys(authApp.middleware).sort()).toEqual(['auth', 'csrf', 'messages', 'sessions']);
    // Its commands are the files of commands/ beside the built app module, each default-exporting the command it is named after.
    const commands = findCommandFiles(locateApp('@atrium/auth', process.cwd()));
    expect(commands.map((command) => command.name)).toEqual(['changepassword', 'clearsessions', 'createsuperuser']);
    expect(typeof authApp.extensions['postMigrate']).toBe('function');
    expect(authApp.path).toMatch(/packages[\\/]auth$/);
    for (const found of commands) expect((await importCommand(found)).name).toBe(found.name);
  });

  it('installs the PASSWORD_HASHERS registry at ready()', async () => {
    const app = await authApplication([], { ARGON2: { memoryCost: 32_768 } });
    expect((defaultPasswordHashers().preferred as Argon2Hasher).parameters.memoryCost).toBe(32_768);
    expect(authSettings(app.context).ARGON2.memoryCost).toBe(32_768);
    await app.close();
    await authApplication([]);
  });

  it("closes only the given project's Redis connections", async () => {
    const one = await authApplication([], { SESSION_ENGINE: 'redis' });
    const two = await authApplication([], { SESSION_ENGINE: 'redis' });
    const storeOne = sessionStore(one.context) as RedisSessionStore;
    const storeTwo = sessionStore(two.context) as RedisSessionStore;
    await storeOne.connection.ready();
    await storeTwo.connection.ready();
    await closeAuthStores(one.context);
    expect(storeOne.connection.client.status).toBe('end');
    expect(storeTwo.connection.client.status).toBe('ready');
    await two.close();
    expect(storeTwo.connection.client.status).toBe('end');
  });
});
