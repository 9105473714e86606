import { describe, expect, it } from 'vitest';
import { isIgnoredName, isIgnoredPath } from '../src/runserver/watch-ignore.js';

describe('what the reloader ignores', () => {
  it.each(['pages/views.ts', 'settings.ts', 'templates/base.html', 'pages/static/pages/site.css', '.env', '.env.local'])('restarts for %s', (path) => {
    expect(isIgnoredPath(path)).toBe(false);
  });

  it.each([
    'node_modules/zod/index.js',
    '.git/index',
    'dist/main.js',
    'staticfiles/pages/site.css',
    'pages/.cache/x.ts',
    'db.sqlite3',
    'db.sqlite3-journal',
    'data/app.db-wal',
    'server.log',
    'pages/.views.ts.swp',
    'pages/views.ts~',
    'pages/.#views.ts',
    '4913',
    '.DS_Store',
  ])('ignores %s', (path) => {
    expect(isIgnoredPath(path)).toBe(true);
  });

  it.each(['node_modules', 'dist', 'pages/build', '.git'])('ignores the folder %s itself being created or removed (fs.watch does not say it is a folder)', (path) => {
    expect(isIgnoredPath(path)).toBe(true);
  });

  it('treats a name as a folder or a file as told', () => {
    expect(isIgnoredName('dist', true)).toBe(true);
    // A file called dist.ts is source code, not build output.
    expect(isIgnoredName('dist.ts', false)).toBe(false);
  });
});
