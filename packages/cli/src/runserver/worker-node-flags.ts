/**
 * Node flags the reloader gives the development server's child: it idles most
 * of the time and serves one developer, so memory matters more than peak JIT
 * and GC throughput (issue #10: one idle starter worker under 100 MB RSS).
 * Measured on the starter (Node 20, idle after serving every page once):
 * 124 MB without them, 98-100 MB with them; CPU per request unchanged within
 * the noise (about 1 ms).
 * - a 1 MB semi-space: the young generation otherwise stays committed at
 *   2 x 16 MB once start-up has grown it (-12 MB);
 * - V8's size-over-speed mode and one V8 background thread: fewer optimizing
 *   compiles on fewer threads, whose freed zone memory glibc keeps in
 *   per-thread arenas (-10 MB).
 */
export const DEV_WORKER_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1'];

/**
 * The child's execArgv: DEV_WORKER_FLAGS, except those the developer set
 * (in the parent's own flags or NODE_OPTIONS, which the child inherits), then
 * the parent's flags, so `--inspect` and the like still reach the server.
 * @example workerExecArgv(['--enable-source-maps'], '--max-semi-space-size=16')
 * // ['--optimize-for-size', '--v8-pool-size=1', '--enable-source-maps']
 */
export function workerExecArgv(parentExecArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set([...parentExecArgv, ...(nodeOptions ?? '').split(/\s+/)].filter((arg) => arg.startsWith('--')).map(flagName));
  return [...DEV_WORKER_FLAGS.filter((flag) => !given.has(flagName(flag))), ...parentExecArgv];
}

/** `--no-foo_bar=1` -> `foo-bar`: V8 accepts either spelling and a `no-` prefix for the same flag. */
function flagName(arg: string): string {
  return arg
    .slice(2)
    .split('=')[0]!
    .replace(/^no-/, '')
    .replaceAll('_', '-');
}
