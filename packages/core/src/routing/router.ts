import { ImproperlyConfigured, NoReverseMatch } from '../errors.js';
import { compileConverters, convertValue, type CompiledConverter, type Converter } from './converters.js';
import type { RouteDefinition, RouteEntry, RouteView } from './path.js';
import { StaticPathTable } from './static-path-table.js';
import { buildRoutePath, parseRoutePattern, ReverseFailure, type ParsedPattern, type PatternSegment } from './route-pattern.js';

/** Views of one resolved route by upper-case method; `'*'` is the view for every other method. */
export type RouteHandlers = Readonly<Record<string, RouteView>>;

/** What `router.resolve(path)` found. Treat it as read-only (static routes share one frozen object). */
export interface ResolvedRoute {
  /** The full pattern, Django style (`blog/<int:id>/`). */
  readonly pattern: string;
  /** The namespaced name (`blog:detail`), or null. */
  readonly name: string | null;
  /** Converted parameters (`<int:id>` gives a number). */
  readonly params: Record<string, unknown>;
  readonly handlers: RouteHandlers;
  /** Methods answered, for `Allow` (HEAD with GET, and OPTIONS); `['*']` when a view takes every method. */
  readonly allowed: readonly string[];
}

/** One `path()` entry as `manage routes` shows it. */
export interface RouteListing {
  /** Full pattern with its include prefixes, Django style. */
  readonly pattern: string;
  readonly name: string | null;
  /** The function's name, a class view's name, or '(anonymous)'. */
  readonly view: string;
  /** Methods the entry answers; `['*']` for a function view that takes every method. */
  readonly methods: readonly string[];
}

export interface RouterOptions {
  /** Custom converters by name, usable in patterns as `<name:param>`. */
  converters?: Readonly<Record<string, Converter>>;
}

/** A flattened `path()` entry with its include prefixes and namespaces applied. */
interface FlatEntry {
  readonly pattern: string;
  readonly name: string | null;
  readonly definition: RouteDefinition;
}

/** One route of the table: the `path()` entries of one pattern, merged. */
interface CompiledRoute {
  /** Declaration order: Django tries routes in this order and the first match wins. */
  readonly index: number;
  readonly parsed: ParsedPattern;
  readonly name: string | null;
  readonly handlers: RouteHandlers;
  readonly allowed: readonly string[];
  readonly entries: readonly FlatEntry[];
}

interface Edge<K> {
  readonly key: K;
  readonly node: TrieNode;
}

/**
 * A node of the segment trie. Children are reached by the exact segment text
 * (one Map lookup), by single-segment converters, by compound segments, and by
 * converters spanning segments, each list in declaration order.
 */
class TrieNode {
  statics: Map<string, TrieNode> | null = null;
  readonly params: Edge<CompiledConverter>[] = [];
  readonly compounds: Edge<Extract<PatternSegment, { kind: 'compound' }>>[] = [];
  readonly spans: Edge<CompiledConverter>[] = [];
  route: CompiledRoute | null = null;
  /** Lowest declaration index of the routes below: lets the search skip branches that cannot win. */
  constructor(readonly minIndex: number) {}
}

/** Per-search scratch state; reused so a lookup allocates only its result. */
class SearchState {
  values: unknown[] = [];
  bestValues: unknown[] = [];
  best: CompiledRoute | null = null;
  bestIndex = Number.POSITIVE_INFINITY;
  busy = false;
  reset(): void {
    this.best = null;
    this.bestIndex = Number.POSITIVE_INFINITY;
  }
}

const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const NO_PARAMS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The route table, compiled once from the route list. Lookup walks a segment
 * trie instead of trying every pattern, and a fully static path is one Map
 * lookup. The result is the same as Django's (the first declared pattern that
 * matches wins): each trie node knows the lowest declaration index below it,
 * so the search stops as soon as no other branch can beat the match in hand.
 *
 * Where Atrium differs from Django, on purpose:
 * - Entries with the same pattern text merge into one route with a view per
 *   method (Django has no methods); two views for one method are refused.
 * - Duplicate names, and two patterns that match exactly the same paths
 *   (`p/<int:id>/` and `p/<int:pk>/`), are refused at start-up: Django
 *   silently makes the later one unreachable.
 * - A converter whose values contain '/' (`path`) must fill whole segments
 *   (`files/<path:p>` or `files/<path:p>/raw/`, not `files/<path:p>.txt`).
 * - When such a converter's toValue() rejects the longest candidate, shorter
 *   ones are tried; Django gives up on the pattern.
 * - `<int:...>` values beyond 2^53 do not match, rather than lose precision.
 * @example
 * const router = new Router([path('', home, { name: 'home' }), include('blog/', blogRoutes, { namespace: 'blog' })]);
 * router.resolve('/blog/3/')?.params // { id: 3 }
 * router.reverse('blog:detail', { id: 3 }) // '/blog/3/'
 */
export class Router {
  readonly #root = new TrieNode(0);
  readonly #routes: CompiledRoute[] = [];
  readonly #byName = new Map<string, CompiledRoute>();
  /** Static path ('/about/') -> its frozen resolution. */
  readonly #staticPaths = new StaticPathTable<ResolvedRoute>();
  /** Route name -> URL, for routes without parameters. */
  readonly #staticUrls = new Map<string, string>();
  readonly #state = new SearchState();
  readonly #patterns: readonly string[];

  constructor(routes: readonly RouteEntry[], options: RouterOptions = {}) {
    if (!Array.isArray(routes)) throw new ImproperlyConfigured(`new Router(routes) needs an array of path()/include() entries, got ${typeof routes}.`);
    const converters = compileConverters(options.converters);
    const flat: FlatEntry[] = [];
    flatten(routes, '', [], flat);

    const byPattern = new Map<string, FlatEntry[]>();
    for (const entry of flat) {
      const group = byPattern.get(entry.pattern);
      if (group) group.push(entry);
      else byPattern.set(entry.pattern, [entry]);
    }
    for (const [pattern, entries] of byPattern) {
      const route = compileRoute(this.#routes.length, parseRoutePattern(pattern, converters), entries);
      this.#routes.push(route);
      this.#insert(route);
      if (route.name !== null) {
        const other = this.#byName.get(route.name);
        if (other) {
          throw new ImproperlyConfigured(
            `Route name '${route.name}' is used twice: by '${other.parsed.pattern}' and by '${pattern}'. Names must be unique within a namespace; rename one of them.`,
          );
        }
        this.#byName.set(route.name, route);
      }
    }
    for (const route of this.#routes) this.#cacheStatic(route);
    this.#patterns = Object.freeze(this.#routes.map((r) => (r.name === null ? r.parsed.pattern : `${r.parsed.pattern} [name='${r.name}']`.trimStart())));
  }

  /**
   * The route for a decoded request path (starting with '/'), or null.
   * @example router.resolve('/posts/3/') // { pattern: 'posts/<int:id>/', name: 'post', params: { id: 3 }, ... }
   */
  resolve(path: string): ResolvedRoute | null {
    const cached = this.#staticPaths.get(path);
    if (cached !== undefined) return cached;
    if (path.charCodeAt(0) !== 47 /* '/' */) return null;
    // A converter calling resolve() from inside a search must not clobber the shared scratch state.
    const state = this.#state.busy ? new SearchState() : this.#state;
    state.busy = true;
    try {
      state.reset();
      search(this.#root, path, 1, 0, state);
      const route = state.best;
      if (route === null) return null;
      const names = route.parsed.paramNames;
      let params = NO_PARAMS;
      if (names.length > 0) {
        params = {};
        for (let i = 0; i < names.length; i++) params[names[i]!] = state.bestValues[i];
      }
      return { pattern: route.parsed.pattern, name: route.name, params, handlers: route.handlers, allowed: route.allowed };
    } finally {
      state.busy = false;
    }
  }

  /**
   * The URL of a named route, starting with '/', with parameter values
   * converted and percent-encoded (a `path` value keeps its '/').
   * @example router.reverse('blog:detail', { id: 3 }) // '/blog/3/'
   * @throws NoReverseMatch naming the route and the missing or invalid parameter, or suggesting similar names.
   */
  reverse(name: string, params: Readonly<Record<string, unknown>> = {}): string {
    const route = this.#byName.get(name);
    if (route === undefined) throw new NoReverseMatch(unknownNameMessage(name, [...this.#byName.keys()]));
    const staticUrl = this.#staticUrls.get(name);
    if (staticUrl !== undefined && !hasDefinedValue(params)) return staticUrl;
    const url = buildRoutePath(route.parsed, params);
    if (url instanceof ReverseFailure) {
      throw new NoReverseMatch(`Reverse for '${name}' (pattern '${route.parsed.pattern}') failed: ${url.reason}.`);
    }
    return url;
  }

  /** Every `path()` entry in declaration order, for `manage routes`. */
  list(): RouteListing[] {
    const rows: RouteListing[] = [];
    const ordered = this.#routes.flatMap((route) => route.entries.map((entry) => ({ route, entry })));
    for (const { route, entry } of ordered) {
      const view = entry.definition.view;
      rows.push({
        pattern: route.parsed.pattern,
        name: route.name,
        view: view.viewName ?? (view.name || '(anonymous)'),
        methods: entry.definition.methods ?? view.viewMethods ?? ['*'],
      });
    }
    return rows;
  }

  /** The patterns in the order they are tried, with their names (`blog/<int:id>/ [name='blog:detail']`), for the 404 debug page. */
  patterns(): readonly string[] {
    return this.#patterns;
  }

  #insert(route: CompiledRoute): void {
    let node = this.#root;
    for (const segment of route.parsed.segments) node = child(node, segment, route.index);
    if (node.route !== null) {
      throw new ImproperlyConfigured(
        `Routes '${node.route.parsed.pattern}' and '${route.parsed.pattern}' match exactly the same paths, so the second can never be reached. ` +
          'To give one URL several views by method, repeat the same pattern text with different methods.',
      );
    }
    node.route = route;
  }

  /** Serve a static path from one Map lookup, unless an earlier dynamic pattern would win it (Django order). */
  #cacheStatic(route: CompiledRoute): void {
    if (!route.parsed.isStatic) return;
    const path = '/' + route.parsed.pattern;
    const url = buildRoutePath(route.parsed, {});
    if (route.name !== null && typeof url === 'string') this.#staticUrls.set(route.name, url);
    const state = new SearchState();
    search(this.#root, path, 1, 0, state);
    if (state.best !== route) return;
    this.#staticPaths.set(
      path,
      Object.freeze({ pattern: route.parsed.pattern, name: route.name, params: NO_PARAMS, handlers: route.handlers, allowed: route.allowed }),
    );
  }
}

/** Apply include prefixes and namespaces, depth first, keeping declaration order. */
function flatten(entries: readonly RouteEntry[], prefix: string, namespaces: readonly string[], out: FlatEntry[]): void {
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object' || (entry.kind !== 'route' && entry.kind !== 'include')) {
      const what = typeof entry === 'function' ? `the function ${(entry as { name: string }).name || '(anonymous)'}` : entry === null ? 'null' : `a ${typeof entry}`;
      throw new ImproperlyConfigured(
        `The route list${prefix === '' ? '' : ` under '${prefix}'`} contains ${what}; every entry must be path(pattern, view) or include(prefix, routes).`,
      );
    }
    if (entry.kind === 'include') {
      flatten(entry.routes, prefix + entry.prefix, entry.namespace === null ? namespaces : [...namespaces, entry.namespace], out);
    } else {
      const name = entry.name === null ? null : [...namespaces, entry.name].join(':');
      out.push({ pattern: prefix + entry.pattern, name, definition: entry });
    }
  }
}

/**
 * The store of a route's views by method: an object that inherits no
 * properties (a method named `constructor` or `__proto__` is an ordinary
 * key), made by `new` rather than `Object.create(null)` so that V8 keeps it
 * in fast mode: dispatch reads it once or twice per request, and a
 * dictionary-mode lookup costs a hash probe each time.
 */
const HandlerTable = function HandlerTable() {} as unknown as new () => Record<string, RouteView>;
HandlerTable.prototype = Object.create(null) as Record<string, RouteView>;

/** Merge the entries of one pattern: one view per method, and at most one name. */
function compileRoute(index: number, parsed: ParsedPattern, entries: readonly FlatEntry[]): CompiledRoute {
  const handlers = new HandlerTable();
  const owners: Record<string, FlatEntry> = Object.create(null);
  let name: string | null = null;
  for (const entry of entries) {
    if (entry.name !== null) {
      if (name !== null && name !== entry.name) {
        throw new ImproperlyConfigured(
          `Pattern '${parsed.pattern}' is declared with two names, '${name}' and '${entry.name}'; entries of one pattern form one route, so give them the same name (or name only one).`,
        );
      }
      name = entry.name;
    }
    for (const method of entry.definition.methods ?? ['*']) {
      const previous = owners[method];
      if (previous !== undefined) {
        const which = method === '*' ? 'every method' : method;
        throw new ImproperlyConfigured(
          `Pattern '${parsed.pattern}' has two views for ${which}: ${viewName(previous.definition.view)} and ${viewName(entry.definition.view)}; ` +
            'the second could never run. Remove one, or give them different methods.',
        );
      }
      owners[method] = entry;
      handlers[method] = entry.definition.view;
    }
  }
  return { index, parsed, name, handlers: Object.freeze(handlers), allowed: Object.freeze(allowedMethods(handlers)), entries };
}

function viewName(view: RouteView): string {
  return view.viewName ?? (view.name || '(anonymous)');
}

/** The Allow list: declared methods, HEAD when GET is there, and OPTIONS (answered by dispatch). */
function allowedMethods(handlers: RouteHandlers): string[] {
  if (handlers['*'] !== undefined) return ['*'];
  const methods = new Set(Object.keys(handlers));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const standard = STANDARD_METHODS.filter((m) => methods.has(m));
  const others = [...methods].filter((m) => !STANDARD_METHODS.includes(m)).sort();
  return [...standard, ...others];
}

/** The child of `node` for one pattern segment, created when missing. */
function child(node: TrieNode, segment: PatternSegment, index: number): TrieNode {
  switch (segment.kind) {
    case 'static': {
      node.statics ??= new Map();
      let next = node.statics.get(segment.text);
      if (next === undefined) node.statics.set(segment.text, (next = new TrieNode(index)));
      return next;
    }
    case 'param':
      return edgeChild(node.params, segment.param.converter, index, (a, b) => a === b);
    case 'span':
      return edgeChild(node.spans, segment.param.converter, index, (a, b) => a === b);
    case 'compound':
      return edgeChild(node.compounds, segment, index, (a, b) => a.key === b.key);
  }
}

function edgeChild<K>(edges: Edge<K>[], key: K, index: number, same: (a: K, b: K) => boolean): TrieNode {
  const found = edges.find((e) => same(e.key, key));
  if (found) return found.node;
  // Routes are inserted in declaration order, so appending keeps edges sorted by minIndex.
  const node = new TrieNode(index);
  edges.push({ key, node });
  return node;
}

/**
 * Depth-first search for the lowest-index route matching `path` from `pos`
 * (the start of a segment, or -1 once the whole path is consumed). `depth`
 * is the number of parameter values taken so far.
 */
function search(node: TrieNode, path: string, pos: number, depth: number, state: SearchState): void {
  if (pos === -1) {
    const route = node.route;
    if (route !== null && route.index < state.bestIndex) {
      state.best = route;
      state.bestIndex = route.index;
      for (let i = 0; i < depth; i++) state.bestValues[i] = state.values[i];
    }
    return;
  }
  const length = path.length;
  let end = path.indexOf('/', pos);
  if (end === -1) end = length;
  const next = end === length ? -1 : end + 1;
  let segment: string | undefined;

  if (node.statics !== null) {
    segment = path.slice(pos, end);
    const target = node.statics.get(segment);
    if (target !== undefined && target.minIndex < state.bestIndex) search(target, path, next, depth, state);
  }

  const params = node.params;
  for (let i = 0; i < params.length; i++) {
    const edge = params[i]!;
    if (edge.node.minIndex >= state.bestIndex) break;
    segment ??= path.slice(pos, end);
    if (!edge.key.test(segment)) continue;
    const value = convertValue(edge.key, segment);
    if (value === undefined) continue;
    state.values[depth] = value;
    search(edge.node, path, next, depth + 1, state);
  }

  const compounds = node.compounds;
  for (let i = 0; i < compounds.length; i++) {
    const edge = compounds[i]!;
    if (edge.node.minIndex >= state.bestIndex) break;
    segment ??= path.slice(pos, end);
    const taken = matchCompound(edge.key, segment, depth, state);
    if (taken > 0) search(edge.node, path, next, depth + taken, state);
  }

  const spans = node.spans;
  for (let i = 0; i < spans.length; i++) {
    const edge = spans[i]!;
    // Greedy like Django's '.+': try the longest value first, then give back one segment at a time.
    let stop = length;
    let after = -1;
    for (;;) {
      if (edge.node.minIndex >= state.bestIndex) break;
      const raw = path.slice(pos, stop);
      if (edge.key.test(raw)) {
        const value = convertValue(edge.key, raw);
        if (value !== undefined) {
          state.values[depth] = value;
          search(edge.node, path, after, depth + 1, state);
        }
      }
      if (stop <= end) break;
      stop = path.lastIndexOf('/', stop - 1);
      after = stop + 1;
    }
  }
}

/** Match a mixed segment; store its converted values and return how many, or 0 when it does not match. */
function matchCompound(segment: Extract<PatternSegment, { kind: 'compound' }>, text: string, depth: number, state: SearchState): number {
  const groups = segment.regex.exec(text)?.groups;
  if (groups === undefined) return 0;
  let taken = 0;
  for (const part of segment.parts) {
    if (typeof part === 'string') continue;
    const value = convertValue(part.converter, groups[`p${taken}`]!);
    if (value === undefined) return 0;
    state.values[depth + taken++] = value;
  }
  return taken;
}

function hasDefinedValue(params: Readonly<Record<string, unknown>>): boolean {
  for (const key in params) if (params[key] !== undefined) return true;
  return false;
}

/** NoReverseMatch text for an unknown name: similar names first, or the namespace that does not exist. */
function unknownNameMessage(name: string, known: readonly string[]): string {
  let message = `Reverse for '${name}' not found: no route has this name.`;
  const similar = suggestNames(name, known);
  if (similar.length > 0) return `${message} Did you mean ${similar.map((n) => `'${n}'`).join(' or ')}?`;
  const colon = name.lastIndexOf(':');
  if (colon !== -1) {
    const namespace = name.slice(0, colon);
    if (!known.some((n) => n.startsWith(namespace + ':'))) message += ` '${namespace}' is not a registered namespace (set one with include(prefix, routes, { namespace })).`;
  }
  if (known.length === 0) return `${message} No route has a name; add one with path(pattern, view, { name }).`;
  const shown = known.slice(0, 10).map((n) => `'${n}'`).join(', ');
  return `${message} Known names: ${shown}${known.length > 10 ? `, and ${known.length - 10} more` : ''}.`;
}

/** Up to three names close to `name`: same last part (a namespace slip) or a small edit distance. */
function suggestNames(name: string, known: readonly string[]): string[] {
  const tail = name.slice(name.lastIndexOf(':') + 1);
  const limit = Math.max(2, Math.floor(name.length / 4));
  return known
    .map((candidate) => {
      const sameTail = candidate.slice(candidate.lastIndexOf(':') + 1) === tail;
      return { candidate, score: sameTail ? 0 : editDistance(name, candidate, limit + 1) };
    })
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((s) => s.candidate);
}

/** Levenshtein distance, giving up (returning `cap`) once it is certain to reach `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= cap) return cap;
    previous = current;
  }
  return Math.min(previous[b.length]!, cap);
}
