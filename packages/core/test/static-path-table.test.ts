import { describe, expect, it } from 'vitest';
import { StaticPathTable } from '../src/routing/static-path-table.js';

describe('StaticPathTable', () => {
  it('finds each path among others of the same and of other lengths', () => {
    const table = new StaticPathTable<string>();
    const paths = ['/', '/a/', '/b/', '/ab/', '/json', '/plaintext', '/about/us/'];
    for (const path of paths) table.set(path, `value of ${path}`);
    for (const path of paths) expect(table.get(path)).toBe(`value of ${path}`);
    for (const missing of ['', '/c/', '/abc/', '/jsom', '/plaintext/', '/'.repeat(200)]) expect(table.get(missing)).toBeUndefined();
  });

  it('compares a fresh string (as a request path is) by its content', () => {
    const table = new StaticPathTable<number>();
    table.set('/plaintext', 1);
    const fresh = ['/plain', 'text'].join('');
    expect(table.get(fresh)).toBe(1);
  });

  it('falls back to the Map when many paths share a length, and still finds all of them', () => {
    const table = new StaticPathTable<number>();
    const paths = Array.from({ length: 50 }, (_, i) => `/p${String(i).padStart(3, '0')}/`);
    paths.forEach((path, i) => table.set(path, i));
    paths.forEach((path, i) => expect(table.get(path)).toBe(i));
    expect(table.get('/p999/')).toBeUndefined();
  });

  it('replaces the value of a path set twice', () => {
    const table = new StaticPathTable<number>();
    table.set('/a/', 1);
    table.set('/b/', 2);
    table.set('/a/', 3);
    expect(table.get('/a/')).toBe(3);
    expect(table.get('/b/')).toBe(2);
  });
});
