import { describe, expect, it } from 'vitest';
import { DEV_WORKER_FLAGS, workerExecArgv } from '../src/runserver/worker-node-flags.js';

describe("the development server child's Node flags", () => {
  it('trades throughput for memory when the developer set nothing', () => {
    expect(workerExecArgv([], undefined)).toEqual(['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1']);
    expect(workerExecArgv([], '')).toEqual([...DEV_WORKER_FLAGS]);
  });

  it("keeps the parent's own flags after them, so --inspect still reaches the server", () => {
    expect(workerExecArgv(['--inspect', '--enable-source-maps'], undefined)).toEqual([...DEV_WORKER_FLAGS, '--inspect', '--enable-source-maps']);
  });

  it('leaves out a flag the developer set in NODE_OPTIONS or on the command line, in any spelling', () => {
    expect(workerExecArgv([], '--max-semi-space-size=16 --inspect')).toEqual(['--optimize-for-size', '--v8-pool-size=1']);
    expect(workerExecArgv(['--no-optimize_for_size'], undefined)).toEqual(['--max-semi-space-size=1', '--v8-pool-size=1', '--no-optimize_for_size']);
    expect(workerExecArgv(['--v8-pool-size=4'], '  --max_semi_space_size=8  ')).toEqual(['--optimize-for-size', '--v8-pool-size=4']);
  });
});
