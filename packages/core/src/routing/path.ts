import { ImproperlyConfigured } from '../errors.js';
import type { RouteParams, ViewFunction } from './types.js';

/** The methods a route may be limited to. Others (WebDAV's PROPFIND...) are accepted as upper-case tokens. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | (string & {});

/**
 * What the router knows about a view besides calling it. Class-based views'
 * `asView()` sets these, so `manage routes` can show the class and its methods.
 */
export interface ViewDescription {
  /** Shown by `manage routes`; defaults to the function's name. */
  readonly viewName?: string;
  /** The methods the view answers itself (a class view knows its own). */
  readonly viewMethods?: readonly string[];
}

/** A view as the route table stores it: parameters are checked by `path()`'s types, then erased. */
export type RouteView = ViewFunction<Record<string, unknown>> & ViewDescription;

/** One `path()` entry. */
export interface RouteDefinition {
  readonly kind: 'route';
  readonly pattern: string;
  readonly view: RouteView;
  readonly name: string | null;
  /** Upper-case methods this view answers, or null for every method (Django's default). */
  readonly methods: readonly string[] | null;
}

/** One `include()` entry: routes under a prefix, optionally in a namespace. */
export interface IncludeDefinition {
  readonly kind: 'include';
  readonly prefix: string;
  readonly routes: readonly RouteEntry[];
  readonly namespace: string | null;
}

export type RouteEntry = RouteDefinition | IncludeDefinition;

export interface PathOptions {
  /** Name for `reverse()`; unique in its namespace. */
  name?: string;
  /** Limit the view to these methods; other methods get 405 with Allow (HEAD follows GET, OPTIONS is answered). */
  methods?: readonly HttpMethod[];
}

export interface IncludeOptions {
  /** Names inside become `namespace:name`; nested includes give `outer:inner:name`. */
  namespace?: string;
}

const METHOD_RE = /^[A-Za-z]+$/;
const NAME_RE = /^[^:\s]+$/;

/**
 * A route: a Django-style pattern (no leading slash), a view, and options.
 * The view's `params` are typed from the pattern.
 * @example
 * path('posts/<int:id>/<slug:slug>/', (request, { id, slug }) => json({ id, slug }), { name: 'post-detail' })
 * path('posts/', PostCreate.asView(), { name: 'post-create', methods: ['POST'] })
 */
export function path<P extends string>(pattern: P, view: ViewFunction<RouteParams<P>>, options: PathOptions = {}): RouteDefinition {
  if (typeof pattern !== 'string') throw new ImproperlyConfigured(`path() needs a pattern string as its first argument, got ${typeof pattern}.`);
  if (typeof view !== 'function') {
    throw new ImproperlyConfigured(`path('${pattern}') needs a view function or SomeView.asView() as its second argument, got ${typeof view}.`);
  }
  const name = options.name ?? null;
  if (name !== null && !NAME_RE.test(name)) {
    throw new ImproperlyConfigured(
      `path('${pattern}') has the name '${name}', which contains ':' or a space; ':' separates namespaces, so use include(prefix, routes, { namespace }) instead.`,
    );
  }
  let methods: string[] | null = null;
  if (options.methods !== undefined) {
    if (options.methods.length === 0) throw new ImproperlyConfigured(`path('${pattern}') has an empty methods list; leave it out to accept every method.`);
    methods = options.methods.map((m) => {
      if (typeof m !== 'string' || !METHOD_RE.test(m)) throw new ImproperlyConfigured(`path('${pattern}') has an invalid method ${JSON.stringify(m)}; use names such as 'GET' or 'POST'.`);
      return m.toUpperCase();
    });
  }
  return { kind: 'route', pattern, view: view as RouteView, name, methods };
}

/**
 * Routes under a prefix (concatenated as text, as in Django, so end it with '/'),
 * optionally in a namespace.
 * @example include('blog/', [path('<int:id>/', detail, { name: 'detail' })], { namespace: 'blog' }) // reverse('blog:detail', { id: 3 }) -> '/blog/3/'
 */
export function include(prefix: string, routes: readonly RouteEntry[], options: IncludeOptions = {}): IncludeDefinition {
  if (typeof prefix !== 'string') throw new ImproperlyConfigured(`include() needs a prefix string as its first argument, got ${typeof prefix}.`);
  if (!Array.isArray(routes)) {
    throw new ImproperlyConfigured(`include('${prefix}') needs an array of path()/include() entries as its second argument, got ${typeof routes}.`);
  }
  const namespace = options.namespace ?? null;
  if (namespace !== null && !NAME_RE.test(namespace)) {
    throw new ImproperlyConfigured(`include('${prefix}') has the namespace '${namespace}', which contains ':' or a space; nest include() calls for nested namespaces.`);
  }
  return { kind: 'include', prefix, routes, namespace };
}
