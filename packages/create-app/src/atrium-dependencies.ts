import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOption, TemplateMissing } from './errors.js';

/** Where the `@atrium/*` dependencies come from. */
export type AtriumSource = 'local' | 'registry';

/**
 * The source from `--atrium-source`, else ATRIUM_SOURCE, else 'local' (the
 * packages are not published yet).
 * @example atriumSource(undefined, { ATRIUM_SOURCE: 'registry' }) // 'registry'
 */
export function atriumSource(option: string | undefined, env: Record<string, string | undefined>): AtriumSource {
  const value = option ?? env['ATRIUM_SOURCE'] ?? 'local';
  if (value !== 'local' && value !== 'registry') {
    const from = option !== undefined ? '--atrium-source' : 'ATRIUM_SOURCE';
    throw new InvalidOption(`${from} '${value}' is not supported; use local (file: links to this checkout) or registry (published versions).`);
  }
  return value;
}

/**
 * Rewrite every `@atrium/*` dependency of the project's package.json: a
 * `file:` link to `<monorepoRoot>/packages/<name>` for 'local', `^<version>`
 * for 'registry'. Other dependencies stay as the template has them.
 * @example atriumDependencies({ '@atrium/core': '0.1.0' }, { source: 'registry', version: '0.1.0', monorepoRoot: '/' }) // { '@atrium/core': '^0.1.0' }
 */
export function atriumDependencies(
  dependencies: Record<string, string>,
  options: { source: AtriumSource; version: string; monorepoRoot: string },
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, spec] of Object.entries(dependencies)) {
    if (!name.startsWith('@atrium/')) {
      result[name] = spec;
      continue;
    }
    if (options.source === 'registry') {
      result[name] = `^${options.version}`;
      continue;
    }
    const folder = join(options.monorepoRoot, 'packages', name.slice('@atrium/'.length));
    if (!existsSync(join(folder, 'package.json'))) {
      throw new TemplateMissing(`--atrium-source local needs the Atrium checkout, but ${folder} has no package.json; use --atrium-source registry.`);
    }
    result[name] = `file:${folder}`;
  }
  return result;
}
