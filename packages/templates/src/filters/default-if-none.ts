/**
 * Django's `default_if_none`: the fallback only for null and undefined (unlike
 * `default`, 0, '' and false are kept).
 * @example {{ post.subtitle | default_if_none('(none)') }}
 */
export function defaultIfNone(value: unknown, fallback: unknown = ''): unknown {
  return value === null || value === undefined ? fallback : value;
}
