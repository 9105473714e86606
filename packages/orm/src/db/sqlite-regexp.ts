/**
 * The REGEXP function SQLite lacks, with PostgreSQL `~` semantics: a
 * case-sensitive, unanchored search (`'abc' ~ 'b'` is true), NULL in -> NULL
 * out. Patterns are JavaScript regular expressions, which agree with
 * PostgreSQL's for the common subset (classes, anchors, groups, quantifiers,
 * alternation).
 *
 * Patterns may come from user input, and JS regexes backtrack, so patterns
 * with nested quantifiers (`(a+)+`, the classic catastrophic case) and very
 * long patterns or inputs are refused with a clear error instead of hanging
 * the single SQLite connection.
 */
export const MAX_REGEX_PATTERN = 1000;
export const MAX_REGEX_INPUT = 1_000_000;

const cache = new Map<string, RegExp>();

export function sqliteRegexp(pattern: unknown, value: unknown): number | null {
  if (pattern === null || value === null || pattern === undefined || value === undefined) return null;
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  if (text.length > MAX_REGEX_INPUT) throw new Error(`regex lookup: value of ${text.length} characters exceeds ${MAX_REGEX_INPUT}`);
  return compile(String(pattern)).test(text) ? 1 : 0;
}

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  if (pattern.length > MAX_REGEX_PATTERN) throw new Error(`regex lookup: pattern longer than ${MAX_REGEX_PATTERN} characters`);
  if (hasNestedQuantifier(pattern)) throw new Error(`regex lookup: pattern ${JSON.stringify(pattern)} nests quantifiers (like '(a+)+'), which can take exponential time; rewrite it`);
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    try {
      // PostgreSQL accepts escapes like '\-' that the 'u' flag rejects.
      re = new RegExp(pattern);
    } catch (error) {
      throw new Error(`regex lookup: invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
  }
  if (cache.size >= 256) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/**
 * True when a quantified group contains a quantifier ("star height" > 1),
 * e.g. `(a+)+`, `(a|b*)*`, `(?:x{2,})+`. Conservative: may refuse a few safe
 * patterns, never lets the exponential textbook cases through.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  // Stack of "does this open group contain a quantifier" flags.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const innerQuantified = stack.pop() ?? false;
      const next = pattern[i + 1];
      const quantifiedGroup = next === '*' || next === '+' || next === '?' || next === '{';
      if (innerQuantified && quantifiedGroup && next !== '?') return true;
      if (stack.length > 0 && (innerQuantified || quantifiedGroup)) stack[stack.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length > 0) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}
