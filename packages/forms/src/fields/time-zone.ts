import { ImproperlyConfigured } from '@atrium/core';

/** Calendar and clock fields of a wall-clock time. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Check an IANA zone name once, when a field is declared. */
export function checkTimeZone(timeZone: string, owner: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new ImproperlyConfigured(`${owner} has timeZone ${JSON.stringify(timeZone)}; use an IANA zone name such as 'UTC' or 'Europe/Paris'.`);
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock time in `timeZone` at the instant `date`. */
export function wallTime(date: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
    millisecond: date.getUTCMilliseconds(),
  };
}

function offsetAt(utcMillis: number, timeZone: string): number {
  const wall = wallTime(new Date(utcMillis), timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  return asUtc - utcMillis;
}

/**
 * The instant at which the clock in `timeZone` shows `wall`. In a DST gap
 * the later offset is used; in an overlap, the earlier instant.
 */
export function fromWallTime(wall: WallTime, timeZone: string): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const first = offsetAt(guess, timeZone);
  const candidate = guess - first;
  const second = offsetAt(candidate, timeZone);
  return new Date(second === first ? candidate : guess - second);
}
