import { toText } from '../safe-html.js';
import { dateParts, type DateParts } from './date-parts.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
// Associated Press style, as Django's 'N'.
const AP_MONTHS = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];

/** Django's DATE_FORMAT default. */
export const DEFAULT_DATE_FORMAT = 'N j, Y';

// Longer strings are not dates; refusing them bounds the parser's work.
const MAX_DATE_STRING = 64;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const pad = (value: number, width = 2): string => String(Math.abs(value)).padStart(width, '0');

function offset(parts: DateParts, separator: string): string {
  const minutes = parts.offsetMinutes;
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}${separator}${pad(Math.abs(minutes) % 60)}`;
}

function hour12(parts: DateParts): number {
  return parts.hour % 12 || 12;
}

function year(parts: DateParts): string {
  return `${parts.year < 0 ? '-' : ''}${pad(parts.year, 4)}`;
}

/** Django's format characters supported here, each a function of the date's parts. */
const FORMAT_CHARS: Readonly<Record<string, (parts: DateParts) => string>> = {
  d: (p) => pad(p.day),
  j: (p) => String(p.day),
  D: (p) => DAYS[p.weekday]!.slice(0, 3),
  l: (p) => DAYS[p.weekday]!,
  m: (p) => pad(p.month),
  n: (p) => String(p.month),
  M: (p) => MONTHS[p.month - 1]!.slice(0, 3),
  F: (p) => MONTHS[p.month - 1]!,
  N: (p) => AP_MONTHS[p.month - 1]!,
  y: (p) => pad(((p.year % 100) + 100) % 100),
  Y: year,
  H: (p) => pad(p.hour),
  G: (p) => String(p.hour),
  i: (p) => pad(p.minute),
  s: (p) => pad(p.second),
  A: (p) => (p.hour < 12 ? 'AM' : 'PM'),
  a: (p) => (p.hour < 12 ? 'a.m.' : 'p.m.'),
  P: (p) => {
    if (p.minute === 0 && p.hour === 0) return 'midnight';
    if (p.minute === 0 && p.hour === 12) return 'noon';
    const time = p.minute === 0 ? String(hour12(p)) : `${hour12(p)}:${pad(p.minute)}`;
    return `${time} ${p.hour < 12 ? 'a.m.' : 'p.m.'}`;
  },
  e: (p) => p.timeZone,
  O: (p) => offset(p, ''),
  T: (p) => p.abbreviation,
  c: (p) => {
    const fraction = p.millisecond === 0 ? '' : `.${pad(p.millisecond, 3)}`;
    return `${year(p)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${fraction}${offset(p, ':')}`;
  },
  r: (p) => `${DAYS[p.weekday]!.slice(0, 3)}, ${p.day} ${MONTHS[p.month - 1]!.slice(0, 3)} ${year(p)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${offset(p, '')}`,
  U: (p) => String(Math.floor(p.epochMs / 1000)),
};

/** A Date from a Date, a timestamp in ms, or an ISO 8601 string; null otherwise. */
function toDate(value: unknown): { date: Date; dateOnly: boolean } | null {
  let date: Date;
  let dateOnly = false;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text.length === 0 || text.length > MAX_DATE_STRING) return null;
    dateOnly = DATE_ONLY.test(text);
    date = new Date(text);
  } else return null;
  return Number.isNaN(date.getTime()) ? null : { date, dateOnly };
}

/**
 * Format `value` with Django's format characters (d j D l m n M F N y Y H G i
 * s A a P e O T c r U); backslash makes the next character literal. The date
 * is shown in `timeZone`, except a date-only string ('2024-03-05'), which has
 * no time zone and is shown as written. Invalid input gives ''.
 * @example formatDate(new Date('2024-03-05T14:30:00Z'), 'D, j M Y H:i', 'UTC') // 'Tue, 5 Mar 2024 14:30'
 */
export function formatDate(value: unknown, format: string, timeZone: string): string {
  const parsed = toDate(value);
  if (!parsed) return '';
  const parts = dateParts(parsed.date, parsed.dateOnly ? 'UTC' : timeZone);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i]!;
    if (char === '\\' && i + 1 < format.length) {
      out += format[++i];
      continue;
    }
    const field = FORMAT_CHARS[char];
    out += field ? field(parts) : char;
  }
  return out;
}

/**
 * The `date` filter, formatting in the project's TIME_ZONE.
 * @example {{ post.published | date('j F Y, H:i') }}   {{ post.published | date('c') }}
 */
export function createDateFilter(timeZone: string): (value: unknown, format?: unknown) => string {
  return (value, format) => formatDate(value, format === undefined || format === null ? DEFAULT_DATE_FORMAT : toText(format), timeZone);
}
