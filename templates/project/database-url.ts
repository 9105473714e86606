/** One entry of DATABASES, as settings.ts passes it to defineSettings(). */
export interface DatabaseSettings {
  ENGINE: 'sqlite' | 'postgres';
  NAME: string;
  USER?: string;
  PASSWORD?: string;
  HOST?: string;
  PORT?: number;
}

/**
 * Turn DATABASE_URL into a DATABASES entry: `sqlite:db.sqlite3` (a file
 * relative to the project) or `postgres://USER:PASSWORD@HOST:PORT/NAME`.
 * @example databaseFromUrl('postgres://app@127.0.0.1:5432/app') // { ENGINE: 'postgres', NAME: 'app', USER: 'app', HOST: '127.0.0.1', PORT: 5432 }
 */
export function databaseFromUrl(url: string): DatabaseSettings {
  if (url.startsWith('sqlite:')) {
    const name = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!name) throw new Error(`DATABASE_URL '${url}' names no file; write sqlite:db.sqlite3.`);
    return { ENGINE: 'sqlite', NAME: name };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL; write sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL scheme '${parsed.protocol}' is not supported; use sqlite: or postgres://.`);
  }
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  // The password is never part of a message, so it cannot leak into logs.
  if (!name) throw new Error(`DATABASE_URL for host '${parsed.hostname}' names no database; add /NAME at the end.`);
  const settings: DatabaseSettings = { ENGINE: 'postgres', NAME: name, HOST: parsed.hostname || '127.0.0.1' };
  if (parsed.username) settings.USER = decodeURIComponent(parsed.username);
  if (parsed.password) settings.PASSWORD = decodeURIComponent(parsed.password);
  if (parsed.port) settings.PORT = Number(parsed.port);
  return settings;
}
