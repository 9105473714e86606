import { defineSettings } from '@atrium/core';
export default defineSettings({
  SECRET_KEY: 'x'.repeat(50),
  DEBUG: true,
  INSTALLED_APPS: ['@atrium/orm', 'notes'],
  ROOT_URLCONF: 'urls',
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3' } },
});
