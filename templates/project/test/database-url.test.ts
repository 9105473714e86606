import { describe, expect, it } from 'vitest';
import { databaseFromUrl } from '../database-url.js';

describe('databaseFromUrl', () => {
  it('reads a SQLite file relative to the project', () => {
    expect(databaseFromUrl('sqlite:db.sqlite3')).toEqual({ ENGINE: 'sqlite', NAME: 'db.sqlite3' });
  });

  it('reads every part of a PostgreSQL URL, decoding them', () => {
    expect(databaseFromUrl('postgres://ann:p%40ss@db.internal:6543/my_site')).toEqual({
      ENGINE: 'postgres',
      NAME: 'my_site',
      USER: 'ann',
      PASSWORD: 'p@ss',
      HOST: 'db.internal',
      PORT: 6543,
    });
  });

  it('refuses other schemes and a URL without a database, without showing the password', () => {
    expect(() => databaseFromUrl('mysql://root@localhost/app')).toThrow("DATABASE_URL scheme 'mysql:' is not supported; use sqlite: or postgres://.");
    expect(() => databaseFromUrl('postgres://ann:secret@db.internal/')).toThrow(
      "DATABASE_URL for host 'db.internal' names no database; add /NAME at the end.",
    );
  });
});
