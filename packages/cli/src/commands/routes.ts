import type { Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.js';
import { formatRoutesTable, viewLabel } from '../routes/format-routes-table.js';

/** `manage routes [--json]`: print the compiled route table. */
export function registerRoutes(program: Command, runtime: CliRuntime): void {
  program
    .command('routes')
    .description('List every route: pattern, name, view and methods')
    .option('--json', 'print the routes as JSON')
    .addHelpText('after', '\nExamples:\n  manage routes\n  manage routes --json')
    .action(async (options: { json?: boolean }) => {
      const project = await runtime.loadProject();
      const routes = project.context.router.list();
      if (options.json) {
        const rows = routes.map((r) => ({ pattern: r.pattern, name: r.name ?? null, view: viewLabel(r.view), methods: r.methods ?? null }));
        runtime.print(JSON.stringify(rows, null, 2));
      } else if (routes.length === 0) {
        runtime.print(`No routes: ${project.urlconfPath} exports an empty list.`);
      } else {
        runtime.stdout.write(formatRoutesTable(routes));
      }
    });
}
