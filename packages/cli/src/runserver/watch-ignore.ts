// Folders whose changes never need a restart: dependencies, VCS data, build output, collected static files.
const IGNORED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'coverage', 'staticfiles']);

// Databases and logs the running server writes itself, and editors' swap/backup/lock files.
const IGNORED_FILE = /(?:\.sqlite3?|\.db)(?:-journal|-wal|-shm)?$|\.log$|\.sw[a-p]$|~$|^\.#|^#.*#$|^4913$|\.tsbuildinfo$/;

/**
 * True when a change to the entry `name` (a file or folder name, not a path)
 * should not restart the dev server. Hidden entries are ignored except `.env`.
 * @example isIgnoredName('node_modules', true) // true
 * @example isIgnoredName('db.sqlite3', false) // true
 */
export function isIgnoredName(name: string, isDirectory: boolean): boolean {
  if (isDirectory) return IGNORED_DIRECTORIES.has(name) || name.startsWith('.');
  if (name.startsWith('.') && !name.startsWith('.env')) return true;
  return IGNORED_FILE.test(name);
}

/**
 * True when any segment of a project-relative path is ignored. The last
 * segment may name a folder too: fs.watch reports a folder being created or
 * removed by its name alone, without saying what it is, and the first run of
 * `manage` on a fresh checkout creates node_modules/ (for its INSTALLED_APPS
 * cache) after the watcher started, which restarted the server just started.
 * @example isIgnoredPath('pages/views.ts') // false
 * @example isIgnoredPath('node_modules/x/index.js') // true
 * @example isIgnoredPath('node_modules') // true
 */
export function isIgnoredPath(relativePath: string): boolean {
  const segments = relativePath.split(/[\\/]/).filter(Boolean);
  const last = segments.length - 1;
  return segments.some((segment, index) => isIgnoredName(segment, index < last) || (index === last && IGNORED_DIRECTORIES.has(segment)));
}
