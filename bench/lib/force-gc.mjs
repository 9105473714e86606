// Collect garbage on demand, so that a run does not pay for the garbage the
// run before it (the other side of the pair) left behind.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect = globalThis.gc ?? null;
if (!collect) {
  // The documented way to reach gc() in a process started without --expose-gc:
  // set the flag, then read `gc` from a fresh context, which sees it.
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc');
}

/**
 * Run a full garbage collection now.
 * @example
 * forceGc(); const start = process.hrtime.bigint();
 */
export function forceGc() {
  collect();
}
