import type { Operation } from './operations/operation.js';

/**
 * Shrink a list of operations of one migration by combining pairs
 * (CreateModel + AddField -> CreateModel with the field, AddField +
 * RemoveField -> nothing, ...) through each operation's `reduce()`. An
 * operation moves across another only when both say they are unrelated, so
 * the result does the same as the input. Repeats until nothing changes.
 * @example
 * optimize([createPost, addPostSlug]); // [createPost with slug]
 */
export function optimize(operations: readonly Operation[]): Operation[] {
  let current = [...operations];
  for (;;) {
    const next = optimizeOnce(current);
    if (next === null) return current;
    current = next;
  }
}

/** One combining step (Django's optimize_inner), or null when nothing combines. */
function optimizeOnce(operations: readonly Operation[]): Operation[] | null {
  for (let i = 0; i < operations.length; i++) {
    const operation = operations[i]!;
    let right = true; // can the result take the place of the later operation?
    for (let j = i + 1; j < operations.length; j++) {
      const other = operations[j]!;
      const result = operation.reduce(other);
      if (Array.isArray(result)) {
        const between = operations.slice(i + 1, j);
        const head = operations.slice(0, i);
        const tail = operations.slice(j + 1);
        if (right) return [...head, ...between, ...result, ...tail];
        // Otherwise the result goes where `operation` was, if `other` may move left across everything between.
        if (between.every((middle) => middle.reduce(other) === true)) return [...head, ...result, ...between, ...tail];
        break;
      }
      if (result !== true) right = false;
    }
  }
  return null;
}
