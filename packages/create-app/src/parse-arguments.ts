import { parseArgs } from 'node:util';
import { InvalidOption } from './errors.js';

/** The command line, parsed. */
export interface CreateAppArguments {
  name: string | undefined;
  db: string | undefined;
  databaseUrl: string | undefined;
  install: boolean;
  packageManager: string;
  atriumSource: string | undefined;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: create-app NAME [options]

Create a new Atrium project in the folder NAME.

Options:
  --db <sqlite|postgres>            database engine (default: sqlite)
  --database-url <url>              sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME (kept in .env)
  --no-install                      do not run npm install
  --package-manager <npm>           package manager for the install (only npm for now)
  --atrium-source <local|registry>  @atrium/* as file: links to this checkout (default; env ATRIUM_SOURCE)
                                    or as published registry versions
  -h, --help                        show this help
  -v, --version                     show the version`;

/**
 * Parse create-app's arguments (without `node` and the script).
 * @example parseArguments(['mysite', '--db', 'postgres']).db // 'postgres'
 */
export function parseArguments(argv: readonly string[]): CreateAppArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: 'string' },
        'database-url': { type: 'string' },
        'no-install': { type: 'boolean', default: false },
        'package-manager': { type: 'string', default: 'npm' },
        'atrium-source': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new InvalidOption(`${error instanceof Error ? error.message : String(error)}. Run create-app --help for the options.`, { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new InvalidOption(`Expected one project name, got ${positionals.length}: ${positionals.join(' ')}. Quote nothing; a name has no spaces.`);
  }
  if (values['package-manager'] !== 'npm') {
    throw new InvalidOption(`--package-manager '${values['package-manager']}' is not supported yet; use --package-manager npm.`);
  }
  return {
    name: positionals[0],
    db: values.db,
    databaseUrl: values['database-url'],
    install: !values['no-install'],
    packageManager: values['package-manager'],
    atriumSource: values['atrium-source'],
    help: values.help,
    version: values.version,
  };
}
