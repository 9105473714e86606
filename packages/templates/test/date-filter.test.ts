import { afterEach, describe, expect, it } from 'vitest';
import { createDateFilter, formatDate } from '../src/filters/date.js';
import { backendFor, fakeContext, LINEAR_TIME_BUDGET_MS, tempProject, timed, type TempProject } from './project-fixture.js';

const moment = new Date('2024-03-05T14:30:07.000Z');

describe('date filter', () => {
  it('formats every supported Django format character (UTC)', () => {
    const chars = 'd j D l m n M F N y Y H G i s A a P e O T c r U'.split(' ');
    const out = Object.fromEntries(chars.map((char) => [char, formatDate(moment, char, 'UTC')]));
    expect(out).toEqual({
      d: '05', j: '5', D: 'Tue', l: 'Tuesday', m: '03', n: '3', M: 'Mar', F: 'March', N: 'March',
      y: '24', Y: '2024', H: '14', G: '14', i: '30', s: '07', A: 'PM', a: 'p.m.', P: '2:30 p.m.',
      e: 'UTC', O: '+0000', T: 'UTC', c: '2024-03-05T14:30:07+00:00', r: 'Tue, 5 Mar 2024 14:30:07 +0000', U: '1709649007',
    });
  });

  it('formats in a time zone', () => {
    expect(formatDate(moment, 'Y-m-d H:i O T e', 'America/New_York')).toBe('2024-03-05 09:30 -0500 EST America/New_York');
    expect(formatDate(moment, 'c', 'Asia/Kolkata')).toBe('2024-03-05T20:00:07+05:30');
    // Crosses midnight: the day changes with the zone.
    expect(formatDate(new Date('2024-03-05T23:30:00Z'), 'D j', 'Asia/Tokyo')).toBe('Wed 6');
  });

  it("writes Django's P, N and a", () => {
    const at = (iso: string, format: string) => formatDate(new Date(iso), format, 'UTC');
    expect(at('2024-01-01T00:00:00Z', 'P')).toBe('midnight');
    expect(at('2024-01-01T12:00:00Z', 'P')).toBe('noon');
    expect(at('2024-01-01T01:00:00Z', 'P')).toBe('1 a.m.');
    expect(at('2024-01-01T13:05:00Z', 'P a A')).toBe('1:05 p.m. p.m. PM');
    expect(at('2024-09-01T00:00:00Z', 'N')).toBe('Sept.');
    expect(at('2024-01-01T00:00:00Z', 'N')).toBe('Jan.');
  });

  it('keeps milliseconds in c and escapes with backslash', () => {
    expect(formatDate(new Date('2024-03-05T14:30:07.045Z'), 'c', 'UTC')).toBe('2024-03-05T14:30:07.045+00:00');
    expect(formatDate(moment, '\\Y\\e\\a\\r: Y, \\d\\a\\y: j', 'UTC')).toBe('Year: 2024, day: 5');
  });

  it('accepts timestamps and ISO strings; a date-only string keeps its day in any zone', () => {
    expect(formatDate(moment.getTime(), 'Y-m-d', 'UTC')).toBe('2024-03-05');
    expect(formatDate('2024-03-05T14:30:07Z', 'H:i', 'Europe/Paris')).toBe('15:30');
    expect(formatDate('2024-03-05', 'j N Y', 'America/Los_Angeles')).toBe('5 March 2024');
  });

  it('gives an empty string for what is not a date, at once for huge input', () => {
    for (const bad of [null, undefined, 'not a date', {}, [], Number.NaN, new Date('x')]) expect(formatDate(bad, 'Y', 'UTC')).toBe('');
    const { result, ms } = timed(() => formatDate('2'.repeat(1_000_000), 'Y', 'UTC'));
    expect(result).toBe('');
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });

  it('uses N j, Y by default and handles a long format in linear time', () => {
    const filter = createDateFilter('UTC');
    expect(filter(moment)).toBe('March 5, 2024');
    const { result, ms } = timed(() => filter(moment, 'Y'.repeat(200_000)));
    expect(result).toBe('2024'.repeat(200_000));
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('date filter in templates', () => {
  let project: TempProject;
  afterEach(() => project.cleanup());

  it('formats in settings.TIME_ZONE', async () => {
    project = tempProject();
    const backend = await backendFor(fakeContext({ root: project.root, settings: { TIME_ZONE: 'Europe/Paris' } }));
    expect(await backend.renderString("{{ when | date('j F Y, H:i T') }}|{{ when | date }}", { when: moment })).toBe('5 March 2024, 15:30 GMT+1|March 5, 2024');
  });
});
