/**
 * Per-instance bookkeeping, kept under a symbol so it never collides with a
 * field name and never shows up in JSON.
 */
export const STATE: unique symbol = Symbol('atrium.orm.state');

/** The relations loaded on one instance, by accessor name (the part of Map that relation code uses). */
export interface RelationCache {
  get(name: string): unknown;
  has(name: string): boolean;
  set(name: string, value: unknown): RelationCache;
  delete(name: string): boolean;
  clear(): void;
}

/**
 * The bookkeeping of one instance. A class (not an object literal) so every
 * state has one hidden class.
 *
 * Rows loaded together start with one state shared by the whole result
 * (`shared`: same database, not adding, same peers), and stateOf() gives an
 * instance its own copy the first time it is asked for, before anything can
 * change it; rows that are only read never get one. The state is also the
 * instance's relation cache: most instances that cache anything cache one
 * relation (the parent set by a prefetch, the object of a join), held in two
 * fields, and a Map is only made for a second one.
 */
export class InstanceState implements RelationCache {
  /** True until the row is inserted. */
  adding: boolean;
  /** Database alias the instance was loaded from / saved to. */
  db: string;
  /**
   * The other instances loaded by the same query (Django 6.1's "peers"), so a
   * relation fetched for one can be fetched for all in one query; null for a
   * single-row fetch.
   */
  peers: readonly object[] | null = null;
  /** Shared by the rows of one result until stateOf() copies it for an instance. */
  readonly shared: boolean;
  #firstName: string | null = null;
  #firstValue: unknown = undefined;
  #more: Map<string, unknown> | null = null;

  constructor(db: string, adding: boolean, shared = false) {
    this.adding = adding;
    this.db = db;
    this.shared = shared;
  }

  /** Loaded relations: forward FK objects, reverse/M2M lists, by accessor name. */
  get relations(): RelationCache {
    return this;
  }

  get(name: string): unknown {
    if (this.#firstName === name) return this.#firstValue;
    return this.#more === null ? undefined : this.#more.get(name);
  }

  has(name: string): boolean {
    return this.#firstName === name || (this.#more !== null && this.#more.has(name));
  }

  set(name: string, value: unknown): this {
    if (this.shared) throw new TypeError('Internal error: a shared instance state cannot cache relations; use stateOf(instance)');
    if (this.#firstName === null || this.#firstName === name) {
      this.#firstName = name;
      this.#firstValue = value;
    } else {
      (this.#more ??= new Map()).set(name, value);
    }
    return this;
  }

  delete(name: string): boolean {
    if (this.#firstName === name) {
      this.#firstName = null;
      this.#firstValue = undefined;
      return true;
    }
    return this.#more !== null && this.#more.delete(name);
  }

  clear(): void {
    this.#firstName = null;
    this.#firstValue = undefined;
    this.#more = null;
  }
}

export interface HasState {
  [STATE]: InstanceState;
}

export function stateOf(instance: object): InstanceState {
  const state = (instance as Partial<HasState>)[STATE];
  if (!state) throw new TypeError('Not a model instance (no ORM state); load it through a queryset or Model.build()');
  if (!state.shared) return state;
  // First use of a loaded row's state: give the instance its own copy.
  const own = new InstanceState(state.db, state.adding);
  own.peers = state.peers;
  (instance as HasState)[STATE] = own;
  return own;
}

export function newState(db: string, adding: boolean): InstanceState {
  return new InstanceState(db, adding);
}
