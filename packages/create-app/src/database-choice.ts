import { InvalidOption } from './errors.js';

export type DatabaseEngine = 'sqlite' | 'postgres';

/** What the project's settings and .env files get for the database. */
export interface DatabaseChoice {
  engine: DatabaseEngine;
  /** The full DATABASE_URL (may hold a password): written only to the git-ignored .env. */
  url: string;
  /** The same URL without its password: the fallback written into settings.ts and .env.example. */
  publicUrl: string;
}

/**
 * Decide the database from `--db` and `--database-url`. Without a URL, SQLite
 * uses db.sqlite3 in the project and PostgreSQL a local server with a
 * database named after the project.
 * @example chooseDatabase({ projectName: 'my-site', db: 'postgres' }).url // 'postgres://postgres@127.0.0.1:5432/my_site'
 */
export function chooseDatabase(options: { projectName: string; db?: string | undefined; databaseUrl?: string | undefined }): DatabaseChoice {
  const { db, databaseUrl } = options;
  if (db !== undefined && db !== 'sqlite' && db !== 'postgres') {
    throw new InvalidOption(`--db '${db}' is not supported; use --db sqlite or --db postgres.`);
  }
  if (databaseUrl === undefined) {
    const url = db === 'postgres' ? `postgres://postgres@127.0.0.1:5432/${options.projectName.replace(/[^a-z0-9_]/g, '_')}` : 'sqlite:db.sqlite3';
    return { engine: db ?? 'sqlite', url, publicUrl: url };
  }
  const engine = engineOf(databaseUrl);
  if (db !== undefined && db !== engine) {
    throw new InvalidOption(`--db ${db} contradicts --database-url, which is a ${engine} URL; drop one of them.`);
  }
  return { engine, url: databaseUrl, publicUrl: withoutPassword(databaseUrl) };
}

function engineOf(url: string): DatabaseEngine {
  if (url.startsWith('sqlite:')) {
    if (url.slice('sqlite:'.length).replace(/^\/\//, '') === '') throw new InvalidOption(`--database-url '${url}' names no file; write sqlite:db.sqlite3.`);
    return 'sqlite';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOption('--database-url is not a URL; write sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidOption(`--database-url scheme '${parsed.protocol}' is not supported; use sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME.`);
  }
  // The message names the host, never the password.
  if (parsed.pathname.replace(/^\//, '') === '') throw new InvalidOption(`--database-url for host '${parsed.hostname}' names no database; add /NAME at the end.`);
  return 'postgres';
}

function withoutPassword(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.href;
}
