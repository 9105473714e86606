import { Q_NODE, type QNode } from './where-input.js';

/** A filter object or a Q node built from filter objects. */
export type Condition<W> = W | QNode<W>;

/**
 * AND / OR / NOT composition of filter objects. The argument type is taken
 * from where the result is used (`filter(Q.or(...))`), so field names are
 * checked against the model.
 * @example
 * await Post.objects.filter(Q.or({ title: { icontains: 'orm' } }, Q.not({ views: { lt: 10 } })));
 */
export const Q = {
  /** Every condition holds (the same as passing several to filter()). */
  and<W>(...conditions: Array<NoInfer<Condition<W>>>): QNode<W> {
    return { [Q_NODE]: 'and', children: conditions };
  },
  /** At least one condition holds. */
  or<W>(...conditions: Array<NoInfer<Condition<W>>>): QNode<W> {
    return { [Q_NODE]: 'or', children: conditions };
  },
  /** The condition does not hold; rows where it is unknown because of NULLs are included (as Django does). */
  not<W>(condition: NoInfer<Condition<W>>): QNode<W> {
    return { [Q_NODE]: 'not', children: [condition] };
  },
};
