import type { Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.js';
import { parseAddrPort } from '../runserver/addrport.js';

/** `manage runserver [addrport] [--noreload]`: the development server. */
export function registerRunserver(program: Command, runtime: CliRuntime): void {
  program
    .command('runserver')
    .description('Start the development server; it restarts when a project file changes')
    .argument('[addrport]', 'port, or address:port (IPv6 in brackets)', '127.0.0.1:8000')
    .option('--noreload', 'run the server in this process, without restarting on file changes')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  manage runserver                 http://127.0.0.1:8000/',
        '  manage runserver 8001            http://127.0.0.1:8001/',
        '  manage runserver 0.0.0.0:8000    every IPv4 interface (add the host to ALLOWED_HOSTS)',
        '  manage runserver [::1]:8000      IPv6 loopback',
        '  manage runserver --noreload      no file watching, one process',
      ].join('\n'),
    )
    .action(async (addrport: string, options: { noreload?: boolean }) => {
      // Parse here, in the parent too, so a typo fails at once instead of in a restart loop.
      const target = parseAddrPort(addrport);
      // The server and the reloader are imported only when run, so `manage --help` stays cheap.
      if (options.noreload) return (await import('../runserver/dev-server.js')).runDevServer(runtime, target);
      const childArgs = ['runserver', '--noreload', addrport];
      if (runtime.settingsModule !== undefined) childArgs.push('--settings', runtime.settingsModule);
      if (runtime.traceback) childArgs.push('--traceback');
      return (await import('../runserver/reloader.js')).runWithReloader(runtime, childArgs);
    });
}
