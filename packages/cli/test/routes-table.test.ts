import { describe, expect, it } from 'vitest';
import { formatRoutesTable, viewLabel } from '../src/routes/format-routes-table.js';

describe('formatRoutesTable', () => {
  it('aligns the columns and shows patterns as URL paths', () => {
    const table = formatRoutesTable([
      { pattern: '', name: 'pages:home', view: 'home', methods: ['GET', 'HEAD', 'OPTIONS'] },
      { pattern: 'hello/<slug:name>/', name: 'pages:hello', view: 'hello', methods: ['GET'] },
      { pattern: 'webhook/', name: null, view: 'receive', methods: ['*'] },
    ]);
    expect(table).toBe(
      [
        'PATTERN              NAME         VIEW     METHODS',
        '/                    pages:home   home     GET, HEAD, OPTIONS',
        '/hello/<slug:name>/  pages:hello  hello    GET',
        '/webhook/            -            receive  ANY',
        '',
      ].join('\n'),
    );
  });

  it('leaves no trailing blanks and widens a column for a long cell', () => {
    const table = formatRoutesTable([{ pattern: '/a/', name: 'a-very-long-route-name', view: 'v', methods: null }]);
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toBe(line.trimEnd());
    // Every column starts at the same offset on every line.
    expect(lines[0]!.indexOf('VIEW')).toBe(lines[1]!.indexOf('v  '));
    expect(lines[1]).toContain('ANY');
  });
});

describe('viewLabel', () => {
  it('names functions and class-based views', () => {
    function home() {}
    const classView = Object.assign(() => {}, { viewName: 'AboutView' });
    expect(viewLabel('detail')).toBe('detail');
    expect(viewLabel(home)).toBe('home');
    expect(viewLabel(classView)).toBe('AboutView');
    expect(viewLabel(Object.defineProperty(() => {}, 'name', { value: '' }))).toBe('(anonymous)');
  });
});
