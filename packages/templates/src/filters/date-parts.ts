/** A moment as seen on a wall clock in one time zone. */
export interface DateParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC (+60 for Paris in winter). */
  offsetMinutes: number;
  /** The zone's abbreviation where the locale has one ('EST', 'UTC'), else 'GMT+1'. */
  abbreviation: string;
  timeZone: string;
  epochMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Split `date` into wall-clock fields in `timeZone` (an IANA name, checked at start-up). */
export function dateParts(date: Date, timeZone: string): DateParts {
  const epochMs = date.getTime();
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  if (timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      weekday: date.getUTCDay(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond,
      offsetMinutes: 0,
      abbreviation: 'UTC',
      timeZone,
      epochMs,
    };
  }
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const month = Number(fields.month);
  const day = Number(fields.day);
  const hour = Number(fields.hour);
  const minute = Number(fields.minute);
  const second = Number(fields.second);
  // The wall clock read as if it were UTC, minus the real instant, is the offset.
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millisecond);
  return {
    year,
    month,
    day,
    weekday: wall.getUTCDay(),
    hour,
    minute,
    second,
    millisecond,
    offsetMinutes: Math.round((wall.getTime() - epochMs) / 60_000),
    abbreviation: fields.timeZoneName ?? timeZone,
    timeZone,
    epochMs,
  };
}
