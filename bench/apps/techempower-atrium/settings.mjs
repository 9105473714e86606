// Settings of the TechEmpower benchmark project: an ordinary Atrium project
// (see docs/settings.md), production mode, with the database chosen by
// TE_DATABASE (sqlite:/path/file.db or postgres://user@host:port/db).
import { randomBytes } from 'node:crypto';
import { defineSettings } from '@atrium/core';
import { parseDatabase } from '../../lib/techempower-fixture.mjs';

function databaseSettings(target) {
  if (target.engine === 'sqlite') return { ENGINE: 'sqlite', NAME: target.file };
  return {
    ENGINE: 'postgres',
    NAME: target.database,
    HOST: target.host,
    PORT: target.port,
    USER: target.user,
    ...(target.password ? { PASSWORD: target.password } : {}),
    OPTIONS: { searchPath: target.schema },
  };
}

export default defineSettings({
  SECRET_KEY: randomBytes(32).toString('hex'),
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  INSTALLED_APPS: ['@atrium/orm', 'world'],
  // 'server' (world/middleware.mjs) adds the Server header TechEmpower requires; Atrium sends none by default.
  MIDDLEWARE: ['server', 'security', 'common'],
  ROOT_URLCONF: 'urls',
  DATABASES: { default: databaseSettings(parseDatabase()) },
});
