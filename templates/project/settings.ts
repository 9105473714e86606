import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineSettings } from '@atrium/core';
import { databaseFromUrl } from './database-url.js';

/**
 * Settings of {{ project_name }}. Any setting can also be overridden from the
 * environment as ATRIUM_<NAME> (ATRIUM_ALLOWED_HOSTS=example.com).
 */

// Read .env (kept out of git) for local values; variables already set in the environment win.
const envFile = join(import.meta.dirname, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

// Development defaults to DEBUG on; DEBUG=false (or 0/no/off) turns it off.
const DEBUG = !['0', 'false', 'no', 'off'].includes((process.env['DEBUG'] ?? 'true').trim().toLowerCase());

export default defineSettings({
  // Generated for this project by create-app, for development only. Production sets ATRIUM_SECRET_KEY;
  // with DEBUG off and no ATRIUM_SECRET_KEY the empty key stops start-up instead of signing with a key from git.
  SECRET_KEY: process.env['ATRIUM_SECRET_KEY'] ?? (DEBUG ? '{{ secret_key }}' : ''),
  DEBUG,
  // With DEBUG on and no hosts listed, localhost, 127.0.0.1 and [::1] are allowed.
  ALLOWED_HOSTS: [],
  // '@atrium/orm' opens DATABASES and adds makemigrations/migrate; '@atrium/forms' ships the form templates;
  // '@atrium/auth' brings users, groups, permissions, sessions, CSRF and createsuperuser; '@atrium/admin' the admin site.
  INSTALLED_APPS: ['@atrium/orm', '@atrium/forms', '@atrium/auth', '@atrium/admin', 'notes'],
  // 'logging' first, so its timing covers every other layer; 'sessions' before 'csrf' and 'auth', which use it;
  // 'messages' shows one-time notices (the admin's "was added successfully"); 'static' serves static files while DEBUG is on.
  MIDDLEWARE: ['logging', 'security', 'sessions', 'common', 'csrf', 'auth', 'messages', 'static'],
  ROOT_URLCONF: 'urls',
  // Where login sends a user when no ?next= says otherwise, and where logout lands.
  LOGIN_REDIRECT_URL: '/',
  LOGOUT_REDIRECT_URL: '/',
  // Templates get `request`, `csrfInput` (for forms that POST), `messages`, `user` and `perms`.
  TEMPLATES: { OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } },
  DATABASES: { default: databaseFromUrl(process.env['DATABASE_URL'] ?? '{{ database_url_default }}') },
  // `npx manage collectstatic` copies every static file here for production.
  STATIC_ROOT: 'staticfiles',
});
