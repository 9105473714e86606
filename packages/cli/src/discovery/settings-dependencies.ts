import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const ENV_READ = /\bprocess\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([^'"]+)['"]\s*\])/g;
/** Enough for any settings module; a bigger graph is not worth scanning on every `--help`. */
const MAX_FILES = 100;

/** What a settings module's value can depend on, as far as reading its source tells. */
export interface SettingsDependencies {
  /** The settings file and the project files it imports by relative path, transitively. */
  files: string[];
  /** Environment variables those files read through `process.env.NAME` or `process.env['NAME']`. */
  envNames: string[];
}

/**
 * Read (not run) a settings module and the files it imports by relative
 * path, to know what its INSTALLED_APPS can depend on. Package imports are
 * left out: a package changes with npm install, which rewrites
 * node_modules/.package-lock.json (the cache key includes it).
 * @example settingsDependencies('/srv/site/settings.ts') // { files: ['/srv/site/settings.ts', '/srv/site/database-url.ts'], envNames: ['DEBUG', ...] }
 */
export function settingsDependencies(settingsPath: string): SettingsDependencies {
  const files: string[] = [];
  const envNames = new Set<string>();
  const pending = [settingsPath];
  while (pending.length > 0 && files.length < MAX_FILES) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue; // gone since it was listed; its missing mtime changes the key anyway
    }
    for (const match of source.matchAll(ENV_READ)) envNames.add((match[1] ?? match[2])!);
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      const target = resolveSource(resolve(dirname(file), match[1]!));
      if (target !== null) pending.push(target);
    }
  }
  return { files, envNames: [...envNames].sort() };
}

/** The file an import specifier names; './x.js' is './x.ts' in a TypeScript project. */
function resolveSource(base: string): string | null {
  const stem = base.replace(/\.(?:m?js|m?ts)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.js`, `${stem}.mjs`];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}
