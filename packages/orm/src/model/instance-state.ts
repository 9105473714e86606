/**
 * Per-instance bookkeeping, kept under a symbol so it never collides with a
 * field name and never shows up in JSON.
 */
export const STATE: unique symbol = Symbol('atrium.orm.state');

/**
 * The bookkeeping of one instance. A class (not an object literal) so every
 * state has one hidden class, and the relation cache is created on first use:
 * most loaded rows never cache a relation, and a Map per row would be the
 * largest allocation of hydration.
 */
export class InstanceState {
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
  #relations: Map<string, unknown> | null = null;

  constructor(db: string, adding: boolean) {
    this.adding = adding;
    this.db = db;
  }

  /** Loaded relations: forward FK objects, reverse/M2M lists, by accessor name. */
  get relations(): Map<string, unknown> {
    return (this.#relations ??= new Map());
  }
}

export interface HasState {
  [STATE]: InstanceState;
}

export function stateOf(instance: object): InstanceState {
  const state = (instance as Partial<HasState>)[STATE];
  if (!state) throw new TypeError('Not a model instance (no ORM state); load it through a queryset or Model.build()');
  return state;
}

export function newState(db: string, adding: boolean): InstanceState {
  return new InstanceState(db, adding);
}
