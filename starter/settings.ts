import { defineSettings } from '@atrium/core';

/**
 * Settings of the starter site. Any setting can also be overridden from the
 * environment as ATRIUM_<NAME> (ATRIUM_ALLOWED_HOSTS=example.com,
 * ATRIUM_STATIC_ROOT=/srv/static); see docs/getting-started.md.
 */

// The starter is a development site, so DEBUG defaults to on; DEBUG=false turns it off.
const DEBUG = !['0', 'false', 'no', 'off'].includes((process.env['DEBUG'] ?? 'true').trim().toLowerCase());

export default defineSettings({
  // Production reads the key from ATRIUM_SECRET_KEY. The fallback exists only for DEBUG: with DEBUG off and
  // no key, the empty string fails validation at start-up, and `manage check` flags the fallback as a placeholder.
  SECRET_KEY: process.env['ATRIUM_SECRET_KEY'] ?? (DEBUG ? 'dev-only-insecure-key-for-the-starter-never-deploy' : ''),
  DEBUG,
  // With DEBUG on and no hosts listed, localhost, 127.0.0.1 and [::1] are allowed.
  ALLOWED_HOSTS: [],
  // The framework's apps first (database, forms, users and sessions, the admin), then the site's own.
  INSTALLED_APPS: ['@atrium/orm', '@atrium/forms', '@atrium/auth', '@atrium/admin', 'pages', 'blog', 'chat'],
  // 'logging' first, so its timing covers every other layer; 'static' serves app static files while DEBUG is on.
  MIDDLEWARE: ['logging', 'security', 'sessions', 'common', 'csrf', 'auth', 'messages', 'static'],
  ROOT_URLCONF: 'urls',
  // A SQLite file next to this one (git-ignored); `npm start` migrates it and loads the demo data.
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3' } },
  TEMPLATES: { OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } },
  LOGIN_REDIRECT_URL: '/blog/',
  LOGOUT_REDIRECT_URL: '/blog/',
  // The chat demo's groups; with several workers or machines use { BACKEND: 'redis', LOCATION: 'redis://127.0.0.1:6379/0' }.
  CHANNEL_LAYERS: { default: { BACKEND: 'memory' } },
  // `manage collectstatic` copies every static file here for production.
  STATIC_ROOT: 'staticfiles',
});
