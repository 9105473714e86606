/** Marks Q composition nodes; a plain filter object never has this key. */
export const Q_NODE: unique symbol = Symbol('atrium.orm.q');

export type QOperator = 'and' | 'or' | 'not';

/** `Q.and/or/not(...)`: a composition of filter objects (typed by `W`, the model's Where). */
export interface QNode<W> {
  readonly [Q_NODE]: QOperator;
  readonly children: ReadonlyArray<W | QNode<W>>;
}

/**
 * The untyped runtime form of a filter: a plain object (or Q node). Typed
 * entry points narrow it with Where<M>; runtime code treats it as untrusted
 * input and reports unknown names with FieldError.
 */
export type WhereInput = Readonly<Record<string, unknown>> | QNode<unknown>;

/** No conditions: the default of the functions that add conditions to a state (one shared, never-changed array). */
export const NO_CONDITIONS: readonly WhereInput[] = [];

export function isQNode(value: unknown): value is QNode<unknown> {
  return typeof value === 'object' && value !== null && Q_NODE in value;
}
