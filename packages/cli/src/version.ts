import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The @atrium/cli version, read from its package.json (dist/ and src/ sit beside it). */
export function cliVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
