/**
 * Write migration files into a temporary app folder, as makemigrations
 * would, for loader, command and process tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * The import line of a migration file. Migration files of projects import
 * '@atrium/orm/migrations'; test files import the package sources directly
 * (the built package may be older than the sources under test).
 */
export const MIGRATION_HEADER = [
  `import { migration } from '${join(SRC, 'migrations/migration.ts')}';`,
  `import { ops } from '${join(SRC, 'migrations/operations/index.ts')}';`,
  `import { f } from '${join(SRC, 'migrations/state/spec-builders.ts')}';`,
  '',
].join('\n');

export interface TempApp {
  readonly label: string;
  /** The app folder (its migrations are in `<path>/migrations`). */
  readonly path: string;
  /** Write `migrations/<name>.ts` exporting `migration(<body>)`. */
  write(name: string, body: string): string;
}

/** A temporary folder holding app folders; `cleanup()` removes it. */
export function tempProject(prefix = 'atrium-migrations-'): { root: string; app(label: string): TempApp; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  // As in a project: its TypeScript files are ES modules.
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  return {
    root,
    app(label) {
      const path = join(root, label);
      mkdirSync(join(path, 'migrations'), { recursive: true });
      return {
        label,
        path,
        write(name, body) {
          const file = join(path, 'migrations', `${name}.ts`);
          writeFileSync(file, `${MIGRATION_HEADER}\nexport default migration(${body});\n`);
          return file;
        },
      };
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
