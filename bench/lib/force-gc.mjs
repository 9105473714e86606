// Collect young garbage on demand, so that a run does not pay for the garbage
// the run before it (the other side of the pair) left behind.
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
 * Collect the young generation now (a scavenge). Not a full collection: a
 * full one also throws away optimised code whose embedded objects died
 * (V8's "weak objects" deoptimisation), so every run would start with a
 * re-warm-up whose cost grows with the amount of code on the measured path,
 * which is not what a long-running server pays.
 * @example
 * forceGc(); const start = process.hrtime.bigint();
 */
export function forceGc() {
  collect({ type: 'minor' });
}
