import type { AnyModel } from '../model/model.js';
import type { InsertData, Instance } from '../model/model-types.js';
import type { Prefetch } from '../relations/prefetch.js';
import type { Condition } from './q.js';
import { QuerySet, type IteratorOptions } from './query-set.js';
import { initialState, type QueryState } from './query-state.js';
import type { AllValues, AnnotationResult, ColumnName, ExpressionFor, LookupValues, OrderPath, Prettify, ValuePath, ValuesRow, ValuesTuple } from './result-types.js';
import type { PrefetchPath, RelatedPath } from './type-paths.js';
import type { Where } from './where.js';

/**
 * `Model.objects`: where querysets start. Each method is the same-named
 * QuerySet method on `all()`. Subclass it for custom query methods.
 * @example
 * const recent = await Post.objects.filter({ publishedAt: { gte: since } }).orderBy('-publishedAt');
 * const post = await Post.objects.get({ id: 1 });
 */
export class Manager<M extends AnyModel> {
  readonly model: M;
  /** The state of all(), looked up once: every query of this manager starts from it. */
  #initial: QueryState | null = null;

  constructor(model: M) {
    this.model = model;
  }

  /** Every row (the model's default ordering applies). */
  all(): QuerySet<M> {
    return new QuerySet<M>(this.model, (this.#initial ??= initialState(this.model)));
  }
  filter(...conditions: Array<Condition<Where<M>>>): QuerySet<M> {
    return this.all().filter(...conditions);
  }
  exclude(...conditions: Array<Condition<Where<M>>>): QuerySet<M> {
    return this.all().exclude(...conditions);
  }
  get(...conditions: Array<Condition<Where<M>>>): Promise<Instance<M>> {
    return this.all().get(...conditions);
  }
  first(): Promise<Instance<M> | null> {
    return this.all().first();
  }
  last(): Promise<Instance<M> | null> {
    return this.all().last();
  }
  count(): Promise<number> {
    return this.all().count();
  }
  exists(): Promise<boolean> {
    return this.all().exists();
  }
  orderBy(...keys: Array<OrderPath<M, {}>>): QuerySet<M> {
    return this.all().orderBy(...keys);
  }
  using(alias: string): QuerySet<M> {
    return this.all().using(alias);
  }
  selectRelated(...paths: Array<RelatedPath<M>>): QuerySet<M> {
    return this.all().selectRelated(...paths);
  }
  prefetchRelated(...lookups: Array<PrefetchPath<M> | Prefetch>): QuerySet<M> {
    return this.all().prefetchRelated(...lookups);
  }
  onlyFields(...fields: Array<ColumnName<M>>): QuerySet<M> {
    return this.all().onlyFields(...fields);
  }
  defer(...fields: Array<ColumnName<M>>): QuerySet<M> {
    return this.all().defer(...fields);
  }
  distinct(): QuerySet<M> {
    return this.all().distinct();
  }
  values(): QuerySet<M, AllValues<M, {}>>;
  values<const K extends ValuePath<M, {}>>(...fields: K[]): QuerySet<M, ValuesRow<M, {}, K>>;
  values(...fields: string[]): QuerySet<M, unknown> {
    return (this.all().values as (...f: string[]) => QuerySet<M, unknown>)(...fields);
  }
  valuesList<const K extends ValuePath<M, {}>>(field: K, options: { flat: true }): QuerySet<M, ValuesRow<M, {}, K>[K]>;
  valuesList<const K extends ReadonlyArray<ValuePath<M, {}>>>(...fields: K): QuerySet<M, ValuesTuple<M, {}, K>>;
  valuesList(...args: unknown[]): QuerySet<M, unknown> {
    return (this.all().valuesList as (...a: unknown[]) => QuerySet<M, unknown>)(...args);
  }
  annotate<const S extends Record<string, ExpressionFor<M, {}>>>(spec: S): QuerySet<M, Prettify<Instance<M> & AnnotationResult<M, {}, S>>, Prettify<AnnotationResult<M, {}, S>>> {
    return this.all().annotate(spec);
  }
  aggregate<const S extends Record<string, ExpressionFor<M, {}>>>(spec: S): Promise<Prettify<AnnotationResult<M, {}, S>>> {
    return this.all().aggregate(spec);
  }
  create(data: InsertData<M>): Promise<Instance<M>> {
    return this.all().create(data);
  }
  bulkCreate(objects: ReadonlyArray<InsertData<M> | Instance<M>>, options: { batchSize?: number } = {}): Promise<Array<Instance<M>>> {
    return this.all().bulkCreate(objects, options);
  }
  bulkUpdate(objects: ReadonlyArray<Instance<M>>, fields: ReadonlyArray<ColumnName<M>>, options: { batchSize?: number } = {}): Promise<number> {
    return this.all().bulkUpdate(objects, fields, options);
  }
  getOrCreate(lookup: LookupValues<M>, defaults?: LookupValues<M>): Promise<[Instance<M>, boolean]> {
    return this.all().getOrCreate(lookup, defaults);
  }
  updateOrCreate(lookup: LookupValues<M>, defaults?: LookupValues<M>): Promise<[Instance<M>, boolean]> {
    return this.all().updateOrCreate(lookup, defaults);
  }
  iterator(options?: IteratorOptions): AsyncGenerator<Instance<M>, void, undefined> {
    return this.all().iterator(options);
  }
}
