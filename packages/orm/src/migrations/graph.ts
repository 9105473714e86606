import { closest, didYouMean } from '../naming.js';
import { CircularMigrationDependency, ConflictingMigrations, MigrationNodeNotFound } from './migrate-errors.js';
import type { Migration } from './migration.js';

/** 'blog.0002_add_slug': a migration's key in the graph. */
export type MigrationKey = string;

/** The key of migration `name` of app `appLabel`. */
export function migrationKey(appLabel: string, name: string): MigrationKey {
  return `${appLabel}.${name}`;
}

interface Node {
  readonly key: MigrationKey;
  readonly appLabel: string;
  readonly name: string;
  readonly migration: Migration;
  readonly parents: Set<Node>;
  readonly children: Set<Node>;
}

/**
 * Migrations of every app and the dependencies between them: a directed
 * acyclic graph. Plans are walks of it — forwards, a node's ancestors
 * (dependencies first); backwards, its descendants (dependents first) —
 * with siblings in key order, so every run plans the same order.
 * @example
 * const graph = new MigrationGraph(migrations);
 * graph.validate();
 * graph.forwardsPlan('blog.0002_add_slug'); // ['auth.0001_initial', 'blog.0001_initial', 'blog.0002_add_slug']
 */
export class MigrationGraph {
  readonly #nodes = new Map<MigrationKey, Node>();

  /** Add migrations (bound to their app and name) and their dependencies; a dependency on a missing migration throws. */
  constructor(migrations: Iterable<Migration> = []) {
    const list = [...migrations];
    for (const migration of list) {
      const key = migrationKey(migration.appLabel, migration.name);
      this.#nodes.set(key, { key, appLabel: migration.appLabel, name: migration.name, migration, parents: new Set(), children: new Set() });
    }
    for (const migration of list) {
      const node = this.#nodes.get(migrationKey(migration.appLabel, migration.name))!;
      for (const [app, name] of migration.dependencies) {
        const parent = this.#nodes.get(migrationKey(app, name));
        if (!parent) throw this.#missing(node.key, app, name);
        node.parents.add(parent);
        parent.children.add(node);
      }
    }
  }

  /** Check for circular dependencies and for apps with two latest migrations. */
  validate(): void {
    this.assertAcyclic();
    const conflicts = this.conflicts();
    if (Object.keys(conflicts).length > 0) throw new ConflictingMigrations(conflicts);
  }

  /** Throw CircularMigrationDependency naming the circle, if there is one. */
  assertAcyclic(): void {
    const state = new Map<Node, 'active' | 'done'>();
    for (const start of this.#sorted(this.#nodes.values())) {
      if (state.has(start)) continue;
      // Iterative DFS: long histories must not overflow the stack.
      const stack: Array<{ node: Node; parents: Node[]; next: number }> = [{ node: start, parents: this.#sorted(start.parents), next: 0 }];
      state.set(start, 'active');
      while (stack.length > 0) {
        const frame = stack[stack.length - 1]!;
        const parent = frame.parents[frame.next++];
        if (!parent) {
          state.set(frame.node, 'done');
          stack.pop();
          continue;
        }
        const seen = state.get(parent);
        if (seen === 'active') {
          const from = stack.findIndex((f) => f.node === parent);
          // The walk follows dependencies: each key depends on the next one.
          const cycle = stack.slice(from).map((f) => f.node.key);
          throw new CircularMigrationDependency([...cycle, parent.key]);
        }
        if (!seen) {
          state.set(parent, 'active');
          stack.push({ node: parent, parents: this.#sorted(parent.parents), next: 0 });
        }
      }
    }
  }

  /** Apps with more than one leaf migration, with those leaves. */
  conflicts(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const app of this.appLabels()) {
      const leaves = this.leafNodes(app);
      if (leaves.length > 1) out[app] = leaves.map((key) => this.#nodes.get(key)!.name);
    }
    return out;
  }

  has(key: MigrationKey): boolean {
    return this.#nodes.has(key);
  }

  /** The migration of a key; throws naming the closest key. */
  migration(key: MigrationKey): Migration {
    return this.#node(key).migration;
  }

  /** Every migration, in key order. */
  migrations(): Migration[] {
    return this.#sorted(this.#nodes.values()).map((node) => node.migration);
  }

  /** App labels that have migrations, sorted. */
  appLabels(): string[] {
    return [...new Set([...this.#nodes.values()].map((node) => node.appLabel))].sort();
  }

  /** Keys of an app's migrations (or all), in key order. */
  keys(appLabel?: string): MigrationKey[] {
    return this.#sorted(this.#nodes.values())
      .filter((node) => appLabel === undefined || node.appLabel === appLabel)
      .map((node) => node.key);
  }

  /** Migrations no other migration of the same app depends on (one per app in a healthy graph). */
  leafNodes(appLabel?: string): MigrationKey[] {
    return this.#sorted(this.#nodes.values())
      .filter((node) => (appLabel === undefined || node.appLabel === appLabel) && ![...node.children].some((child) => child.appLabel === node.appLabel))
      .map((node) => node.key);
  }

  /** Migrations that depend on no other migration of the same app. */
  rootNodes(appLabel?: string): MigrationKey[] {
    return this.#sorted(this.#nodes.values())
      .filter((node) => (appLabel === undefined || node.appLabel === appLabel) && ![...node.parents].some((parent) => parent.appLabel === node.appLabel))
      .map((node) => node.key);
  }

  /** Direct dependents of a migration in the same app, in key order. */
  childrenInApp(key: MigrationKey): MigrationKey[] {
    const node = this.#node(key);
    return this.#sorted(node.children)
      .filter((child) => child.appLabel === node.appLabel)
      .map((child) => child.key);
  }

  /** `key` and everything it needs, dependencies first: the order to apply them in. */
  forwardsPlan(key: MigrationKey): MigrationKey[] {
    return this.#walk(this.#node(key), (node) => node.parents).map((node) => node.key);
  }

  /** `key` and everything that needs it, dependents first: the order to unapply them in. */
  backwardsPlan(key: MigrationKey): MigrationKey[] {
    return this.#walk(this.#node(key), (node) => node.children).map((node) => node.key);
  }

  /** Every migration in an order that applies dependencies first (the whole history). */
  fullPlan(): MigrationKey[] {
    const seen = new Set<MigrationKey>();
    const out: MigrationKey[] = [];
    for (const leaf of this.leafNodes()) {
      for (const key of this.forwardsPlan(leaf)) {
        if (!seen.has(key)) {
          seen.add(key);
          out.push(key);
        }
      }
    }
    return out;
  }

  /** Post-order walk along `next` (parents or children): the far ends first, `start` last. */
  #walk(start: Node, next: (node: Node) => Set<Node>): Node[] {
    const out: Node[] = [];
    const seen = new Set<Node>([start]);
    const stack: Array<{ node: Node; pending: Node[]; next: number }> = [{ node: start, pending: this.#sorted(next(start)), next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const candidate = frame.pending[frame.next++];
      if (!candidate) {
        out.push(frame.node);
        stack.pop();
        continue;
      }
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      stack.push({ node: candidate, pending: this.#sorted(next(candidate)), next: 0 });
    }
    return out;
  }

  #node(key: MigrationKey): Node {
    const node = this.#nodes.get(key);
    if (!node) throw new MigrationNodeNotFound(`No migration ${key}${didYouMean(key, this.#nodes.keys()) || '.'}`);
    return node;
  }

  #missing(child: MigrationKey, app: string, name: string): MigrationNodeNotFound {
    const key = migrationKey(app, name);
    const inApp = [...this.#nodes.values()].filter((node) => node.appLabel === app).map((node) => node.key);
    const near = closest(key, inApp);
    const hint =
      inApp.length === 0
        ? ` App '${app}' has no migrations: is it in INSTALLED_APPS, and does it have a migrations folder?`
        : near
          ? ` Did you mean ${near}?`
          : ` ${app} has: ${inApp.join(', ')}.`;
    return new MigrationNodeNotFound(`Migration ${child} depends on ${key}, which does not exist.${hint}`);
  }

  #sorted(nodes: Iterable<Node>): Node[] {
    return [...nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
