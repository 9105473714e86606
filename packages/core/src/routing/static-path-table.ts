/** A path and its value, in a bucket of paths of one length. */
interface StaticPath<V> {
  readonly path: string;
  readonly value: V;
}

/** Buckets of up to this many paths are scanned; a fuller one is looked up in the Map. */
const MAX_SCANNED = 4;

/**
 * The router's table of fully static paths ('/about/'), for one lookup per
 * request. The path of a request is a fresh string, so a Map lookup must
 * first hash it (a runtime call in V8, about 0.4k instructions for a short
 * path); comparing it with the few routes of the same length costs a length
 * check and a byte comparison each. So the paths are grouped by length and
 * a small group is scanned; a group with more than MAX_SCANNED paths (a
 * large table with many paths of one length) falls back to the Map, so a
 * lookup never scans more than MAX_SCANNED strings.
 * @example const table = new StaticPathTable<number>(); table.set('/a/', 1); table.get('/a/') // 1
 */
export class StaticPathTable<V> {
  readonly #map = new Map<string, V>();
  /** Index: path length. Undefined: no path of that length; null: too many to scan, ask #map. */
  readonly #byLength: (StaticPath<V>[] | null | undefined)[] = [];

  set(path: string, value: V): void {
    const replaced = this.#map.has(path);
    this.#map.set(path, value);
    const byLength = this.#byLength;
    // Filled densely (no holes), so the array stays in V8's fast elements mode.
    while (byLength.length <= path.length) byLength.push(undefined);
    const bucket = byLength[path.length];
    if (bucket === null) return;
    if (bucket === undefined) {
      byLength[path.length] = [{ path, value }];
    } else if (replaced) {
      const at = bucket.findIndex((entry) => entry.path === path);
      bucket[at] = { path, value };
    } else if (bucket.length < MAX_SCANNED) {
      bucket.push({ path, value });
    } else {
      byLength[path.length] = null;
    }
  }

  get(path: string): V | undefined {
    const byLength = this.#byLength;
    const length = path.length;
    if (length >= byLength.length) return undefined;
    const bucket = byLength[length];
    if (bucket === undefined) return undefined;
    if (bucket === null) return this.#map.get(path);
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]!;
      if (entry.path === path) return entry.value;
    }
    return undefined;
  }
}
