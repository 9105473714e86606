import type { Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.js';
import type { RawServeOptions } from '../serve/serve-config.js';

/** `manage serve`: the production server, a supervising primary and node:cluster workers. */
export function registerServe(program: Command, runtime: CliRuntime): void {
  program
    .command('serve')
    .description('Start the production server: several worker processes, graceful shutdown (SIGTERM) and reload (SIGHUP)')
    .option('-w, --workers <n>', 'worker processes (default: the number of CPUs)')
    .option('-b, --bind <host:port>', 'address to listen on; repeat for several (default 127.0.0.1:8000)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--socket <path>', 'also (or only, without --bind) listen on this Unix socket')
    .option('--graceful-timeout <seconds>', 'how long in-flight requests may take to finish on shutdown or reload', '30')
    .option('--timeout <seconds>', 'answer 503 when a request has no response after this long (0: never)', '60')
    .option('--worker-timeout <seconds>', 'kill a worker whose event loop is blocked this long', '30')
    .option('--boot-timeout <seconds>', 'how long a worker may take to load the project and listen', '60')
    .option('--max-requests <n>', 'replace a worker after this many requests (0: never)', '0')
    .option('--max-requests-jitter <n>', 'add up to this many requests to --max-requests, per worker', '0')
    .option('--max-memory <MiB>', 'replace a worker whose resident memory exceeds this (0: never)', '0')
    .option('--access-log [file]', "write an access log line per request to this file ('-' or no value: stdout)")
    .option('--access-log-format <format>', "'combined' (with Referer and User-Agent) or 'common'", 'combined')
    .option('--insecure-debug', 'start even though DEBUG is on (never in production)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  manage serve --bind 127.0.0.1:8000 --workers 4',
        '  manage serve --socket /run/myapp/atrium.sock --access-log -',
        '  kill -HUP <primary pid>     reload the code with no failed request',
        '  kill -TERM <primary pid>    finish in-flight requests, then exit 0',
      ].join('\n'),
    )
    .action(async (options: RawServeOptions) => {
      // The primary and worker code are imported only when serving, so `manage --help` stays cheap.
      await (await import('../serve/serve-command.js')).runServe(runtime, options);
    });
}
