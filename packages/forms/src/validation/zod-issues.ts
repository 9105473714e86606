import type { z } from 'zod';
import type { IssueInit, IssueParams } from './issue.js';

/**
 * Translate zod issues into form issues (codes and parameters, no text):
 * a string's `too_big` is `max_length`, a number's is `max_value`, an
 * array's is `max_choices`; a `custom` issue carries its form code in
 * `params.code`. Zod's own English messages are dropped, so every text
 * comes from the forms message table.
 */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], value: unknown): IssueInit[] {
  return issues.map((issue) => fromZodIssue(issue, value));
}

function fromZodIssue(issue: z.core.$ZodIssue, value: unknown): IssueInit {
  switch (issue.code) {
    case 'too_big':
      return sized(issue.origin, 'max', issue.maximum, value);
    case 'too_small':
      return sized(issue.origin, 'min', issue.minimum, value);
    case 'invalid_format':
      return { code: formatCode(issue.format) };
    case 'invalid_type':
      return { code: 'invalid_type', params: { expected: issue.expected } };
    case 'invalid_value':
      return { code: 'invalid_choice', params: { value: describe(value) } };
    case 'custom': {
      const params = (issue.params ?? {}) as Record<string, unknown>;
      const code = typeof params['code'] === 'string' ? params['code'] : 'invalid';
      const rest: Record<string, IssueParams[string]> = {};
      for (const [key, param] of Object.entries(params)) {
        if (key !== 'code' && key !== 'message' && isParam(param)) rest[key] = param;
      }
      return typeof params['message'] === 'string' ? { code, params: rest, message: params['message'] } : { code, params: rest };
    }
    default:
      return { code: 'invalid' };
  }
}

function sized(origin: string, bound: 'max' | 'min', limit: number | bigint, value: unknown): IssueInit {
  if (origin === 'string') {
    return { code: `${bound}_length`, params: { [bound]: limit, length: typeof value === 'string' ? value.length : 0 } };
  }
  if (origin === 'array' || origin === 'set') return { code: `${bound}_choices`, params: { [bound]: limit } };
  if (origin === 'date') return { code: `${bound}_value`, params: { [bound]: typeof limit === 'number' ? new Date(limit).toISOString() : String(limit) } };
  return { code: `${bound}_value`, params: { [bound]: limit } };
}

function formatCode(format: string): string {
  if (format === 'email') return 'invalid_email';
  if (format === 'url') return 'invalid_url';
  return 'invalid';
}

function isParam(value: unknown): value is IssueParams[string] {
  return value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}
