/** The causes of a CSRF failure, worded as Django words them (people search for these strings). */
export const CsrfReason = {
  noCookie: 'CSRF cookie not set.',
  tokenMissing: 'CSRF token missing.',
  noReferer: 'Referer checking failed - no Referer.',
  malformedReferer: 'Referer checking failed - Referer is malformed.',
  insecureReferer: 'Referer checking failed - Referer is insecure while host is secure.',
  badReferer: (referer: string) => `Referer checking failed - ${referer} does not match any trusted origins.`,
  badOrigin: (origin: string) => `Origin checking failed - ${origin} does not match any trusted origins.`,
  badCookie: (problem: string) => `CSRF cookie ${problem}.`,
  badToken: (source: string, problem: string) => `CSRF token from ${source} ${problem}.`,
} as const;
