import { OrmUsageError, IntegrityError } from '../errors.js';
import { atomic } from '../db/transaction.js';
import type { AnyModel } from '../model/model.js';
import type { InsertData, Instance } from '../model/model-types.js';
import { InstanceState } from '../model/instance-state.js';
import { assignValues, buildInstance, buildWithState } from '../model/instance.js';
import type { Prefetch } from '../relations/prefetch.js';
import { ensureRelations } from '../relations/resolve-relations.js';
import { bulkUpdate } from './bulk-update.js';
import { compileSelect } from './compile-select.js';
import { dialectOf, executorOf } from './database.js';
import { fetchAggregate, fetchCount, fetchExists, fetchResults } from './fetch.js';
import type { Expression } from './expressions.js';
import { attnameOf } from './hydrate.js';
import { insertInstances } from './persist.js';
import { Q, type Condition } from './q.js';
import { aliasOf, initialState, type QueryState } from './query-state.js';
import type {
  AllValues,
  AnnotationResult,
  ColumnName,
  ExpressionFor,
  LookupValues,
  OrderPath,
  Prettify,
  UpdateValues,
  ValuePath,
  ValuesRow,
  ValuesTuple,
} from './result-types.js';
import type { PrefetchPath, RelatedPath } from './type-paths.js';
import type { Where } from './where.js';
import { deleteRows, updateRows } from './writes.js';
import { describeWhere, getOne, takeMany } from './query-set-support.js';

/** Options of iterator(). */
export interface IteratorOptions {
  /** Rows fetched per query (default 1000). */
  chunkSize?: number;
}

/**
 * A lazy, immutable, typed query over model M. Every method returns a new
 * queryset; nothing runs until it is awaited, iterated, or a terminal
 * method (get, count, exists, aggregate, update, delete...) is called.
 * `R` is the row type (instances, or values() objects/tuples); `A` the
 * annotations added by annotate(), usable in filter() and orderBy().
 * @example
 * const posts = await Post.objects
 *   .filter({ title: { icontains: 'orm' }, author: { name: 'Ann' } })
 *   .selectRelated('author')
 *   .orderBy('-publishedAt')
 *   .limit(10);
 */
export class QuerySet<M extends AnyModel, R = Instance<M>, A = {}> implements PromiseLike<R[]>, AsyncIterable<R> {
  readonly #state: QueryState;

  constructor(model: M, state?: QueryState) {
    this.#state = state ?? initialState(model);
  }

  /** The model queried. */
  get model(): M {
    return this.#state.model as M;
  }

  #with<R2 = R, A2 = A>(changes: Partial<QueryState>): QuerySet<M, R2, A2> {
    return new QuerySet<M, R2, A2>(this.#state.model as M, { ...this.#state, ...changes });
  }

  /** A copy (querysets are immutable; useful to make intent explicit). */
  all(): QuerySet<M, R, A> {
    return this.#with({});
  }

  /** Rows matching every condition (AND). Plain values mean `exact`; nested objects follow relations. */
  filter(...conditions: Array<Condition<Where<M, A>>>): QuerySet<M, R, A> {
    if (conditions.length === 0) return this;
    return this.#with({ where: [...this.#state.where, ...conditions] });
  }

  /** Rows not matching the conditions taken together (rows where they are unknown through NULLs are kept). */
  exclude(...conditions: Array<Condition<Where<M, A>>>): QuerySet<M, R, A> {
    if (conditions.length === 0) return this;
    return this.#with({ where: [...this.#state.where, Q.not<unknown>(Q.and<unknown>(...conditions))] });
  }

  /** Order by fields, '-field' for descending, through foreign keys ('author.name'); replaces earlier orderings. */
  orderBy(...keys: Array<OrderPath<M, A>>): QuerySet<M, R, A> {
    return this.#with({ order: keys });
  }

  /** Reverse the current ordering (or the model's default). */
  reverse(): QuerySet<M, R, A> {
    const current = this.#state.order ?? this.#state.model.meta.ordering;
    return this.#with({ order: current.map((term) => (term.startsWith('-') ? term.slice(1) : `-${term}`)) });
  }

  /** At most `count` rows. */
  limit(count: number): QuerySet<M, R, A> {
    return this.slice(0, count);
  }

  /** Skip `count` rows. */
  offset(count: number): QuerySet<M, R, A> {
    return this.slice(count);
  }

  /** Rows `start` (inclusive) to `end` (exclusive), like Array.prototype.slice with non-negative bounds. */
  slice(start: number, end?: number): QuerySet<M, R, A> {
    if (!Number.isInteger(start) || start < 0 || (end !== undefined && (!Number.isInteger(end) || end < start))) {
      throw new OrmUsageError(`slice(${start}, ${end}) needs integers with 0 <= start <= end; negative indexes are not supported.`);
    }
    const { offset, limit } = this.#state;
    const newLimit = end === undefined ? (limit === null ? null : Math.max(0, limit - start)) : Math.max(0, Math.min(limit ?? Infinity, end) - start);
    return this.#with({ offset: offset + start, limit: newLimit });
  }

  /** SELECT DISTINCT. */
  distinct(): QuerySet<M, R, A> {
    return this.#with({ distinct: true });
  }

  /** Run on another database alias. */
  using(alias: string): QuerySet<M, R, A> {
    return this.#with({ using: alias });
  }

  /** Lock the selected rows until the transaction ends (PostgreSQL FOR UPDATE; SQLite locks on write anyway). Use inside atomic(). */
  selectForUpdate(): QuerySet<M, R, A> {
    return this.#with({ forUpdate: true });
  }

  /** Load foreign keys in the same query with joins: `selectRelated('author', 'author.profile')`. */
  selectRelated(...paths: Array<RelatedPath<M>>): QuerySet<M, R, A> {
    return this.#with({ selectRelated: [...this.#state.selectRelated, ...paths] });
  }

  /** Load relations with one extra query each (reverse and many-to-many too), attached to the instances. */
  prefetchRelated(...lookups: Array<PrefetchPath<M> | Prefetch>): QuerySet<M, R, A> {
    return this.#with({ prefetch: [...this.#state.prefetch, ...lookups] });
  }

  /** Load only these columns (plus the primary key); the others stay undefined until refreshFromDb(). */
  onlyFields(...fields: Array<ColumnName<M>>): QuerySet<M, R, A> {
    return this.#with({ only: fields });
  }

  /** Do not load these columns (large text, blobs); they stay undefined until refreshFromDb(). */
  defer(...fields: Array<ColumnName<M>>): QuerySet<M, R, A> {
    return this.#with({ defer: [...this.#state.defer, ...fields] });
  }

  /** Plain objects instead of instances: all columns, or the given paths (`values('id', 'author.name')`). */
  values(): QuerySet<M, AllValues<M, A>, A>;
  values<const K extends ValuePath<M, A>>(...fields: K[]): QuerySet<M, ValuesRow<M, A, K>, A>;
  values(...fields: string[]): QuerySet<M, unknown, A> {
    return this.#with({ projection: { kind: 'values', fields } });
  }

  /** Tuples of the given paths, or bare values with `{ flat: true }` and one path. */
  valuesList<const K extends ValuePath<M, A>>(field: K, options: { flat: true }): QuerySet<M, ValuesRow<M, A, K>[K], A>;
  valuesList<const K extends ReadonlyArray<ValuePath<M, A>>>(...fields: K): QuerySet<M, ValuesTuple<M, A, K>, A>;
  valuesList(...args: unknown[]): QuerySet<M, unknown, A> {
    const last = args[args.length - 1];
    const flat = typeof last === 'object' && last !== null && (last as { flat?: unknown }).flat === true;
    const fields = (flat ? args.slice(0, -1) : args) as string[];
    if (flat && fields.length !== 1) throw new OrmUsageError(`valuesList(..., { flat: true }) takes exactly one field, got ${fields.length}.`);
    return this.#with({ projection: { kind: 'list', fields, flat } });
  }

  /**
   * Add computed values to each row: aggregates over relations (GROUP BY
   * the row, or the values() fields when values() came first) or per-row
   * expressions. Annotations can be filtered and ordered on.
   */
  annotate<const S extends Record<string, ExpressionFor<M, A>>>(spec: S): QuerySet<M, Prettify<R & AnnotationResult<M, A, S>>, Prettify<A & AnnotationResult<M, A, S>>> {
    const annotations = new Map(this.#state.annotations);
    const model = this.#state.model;
    for (const [name, expression] of Object.entries(spec) as Array<[string, Expression]>) {
      if (model.meta.fieldMap.has(name) || name === 'pk' || model.meta.columnFields.some((field) => field.column === name)) throw new OrmUsageError(`annotate(): '${name}' is a field of ${model.name}; pick another name.`);
      // Instances carry annotations as properties: they must not hide a relation accessor or a method.
      ensureRelations();
      if (name in model.prototype) throw new OrmUsageError(`annotate(): '${name}' is already a relation or method of ${model.name} instances; pick another name (e.g. '${name}Count').`);
      annotations.set(name, expression);
    }
    const firstAggregate = this.#state.annotations.size === 0;
    const projection = this.#state.projection;
    // values('a').annotate({ n }) rows carry n too (as in Django).
    const widened = projection?.kind === 'values' && projection.fields.length > 0 ? { kind: 'values' as const, fields: [...projection.fields, ...Object.keys(spec)] } : projection;
    return this.#with({ annotations, projection: widened, groupByValues: firstAggregate ? projection !== null : this.#state.groupByValues });
  }

  /** Aggregates over all matching rows: `aggregate({ total: Sum('price') })`. */
  aggregate<const S extends Record<string, ExpressionFor<M, A>>>(spec: S): Promise<Prettify<AnnotationResult<M, A, S>>> {
    return fetchAggregate(this.#state, spec as unknown as Record<string, Expression>) as Promise<Prettify<AnnotationResult<M, A, S>>>;
  }

  /** The one row matching; throws Model.DoesNotExist or Model.MultipleObjectsReturned. */
  get(...conditions: Array<Condition<Where<M, A>>>): Promise<R> {
    return getOne(this.#state, conditions) as Promise<R>;
  }

  /** The first row in order (by primary key when unordered), or null. */
  async first(): Promise<R | null> {
    const ordered = this.#state.order ?? this.#state.model.meta.ordering;
    const qs = ordered.length > 0 ? this : this.#with({ order: ['pk'] });
    return ((await takeMany(qs.#state, 1))[0] as R | undefined) ?? null;
  }

  /** The last row in order (by primary key when unordered), or null. */
  async last(): Promise<R | null> {
    const ordered = this.#state.order ?? this.#state.model.meta.ordering;
    return (ordered.length > 0 ? this.reverse() : this.#with<R, A>({ order: ['-pk'] })).first();
  }

  /** Number of matching rows (SELECT count(*)). */
  count(): Promise<number> {
    return fetchCount(this.#state);
  }

  /** True when at least one row matches (SELECT 1 ... LIMIT 1). */
  exists(): Promise<boolean> {
    return fetchExists(this.#state);
  }

  /** Insert a row (sends pre/postSave) and return the instance. */
  async create(data: InsertData<M>): Promise<Instance<M>> {
    const instance = buildInstance(this.#state.model, data as Record<string, unknown>) as Instance<M>;
    await instance.save({ using: aliasOf(this.#state) });
    return instance;
  }

  /**
   * Insert many rows with one INSERT ... RETURNING per batch (ids are set on
   * the instances on both databases). Sends no signals; many-to-many values
   * must be set afterwards.
   */
  async bulkCreate(objects: ReadonlyArray<InsertData<M> | Instance<M>>, options: { batchSize?: number } = {}): Promise<Array<Instance<M>>> {
    const model = this.#state.model;
    // The instances built here share one state until one of them needs its own (see InstanceState).
    const shared = new InstanceState(model.meta.database, true, true);
    const instances = objects.map((object) => (model.prototype.isPrototypeOf(object) ? object : buildWithState(model, object as Record<string, unknown>, shared))) as Array<Record<string, unknown>>;
    for (const field of model.meta.manyToMany) {
      if (objects.some((object) => (object as Record<string, unknown>)[field.name] !== undefined && !model.prototype.isPrototypeOf(object))) {
        throw new OrmUsageError(`bulkCreate() does not set many-to-many '${field.name}' of ${model.name}; set it after with instance.${field.name}.set(...).`);
      }
    }
    await insertInstances(model, instances, aliasOf(this.#state), options.batchSize, shared);
    return instances as Array<Instance<M>>;
  }

  /** Write `fields` of many saved instances in one statement per batch; returns rows changed. */
  bulkUpdate(objects: ReadonlyArray<Instance<M>>, fields: ReadonlyArray<ColumnName<M>>, options: { batchSize?: number } = {}): Promise<number> {
    return bulkUpdate(this.#state.model, objects as ReadonlyArray<Record<string, unknown>>, fields, aliasOf(this.#state), options.batchSize);
  }

  /** UPDATE the matching rows (values or F expressions); returns rows changed. No signals, no autoNow. */
  update(values: UpdateValues<M>): Promise<number> {
    return updateRows(this.#state, values as Record<string, unknown>);
  }

  /** DELETE the matching rows, applying onDelete rules; returns counts per model label. */
  delete(): Promise<{ total: number; perModel: Record<string, number> }> {
    return deleteRows(this.#state);
  }

  /**
   * The row matching `lookup`, or a new one created from `lookup` and
   * `defaults`. Safe under concurrency when a unique constraint covers
   * `lookup`: a create that loses the race fails with IntegrityError inside
   * a savepoint and the row the winner created is returned.
   */
  async getOrCreate(lookup: LookupValues<M>, defaults: LookupValues<M> = {}): Promise<[Instance<M>, boolean]> {
    const where = lookup as unknown as Where<M, A>;
    const found = await this.#asInstances().filter(where).#tryGet();
    if (found) return [found, false];
    try {
      const created = await atomic(() => this.create({ ...defaults, ...lookup } as InsertData<M>), { using: aliasOf(this.#state) });
      return [created, true];
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      const winner = await this.#asInstances().filter(where).#tryGet();
      if (winner) return [winner, false];
      throw error;
    }
  }

  /** Update the row matching `lookup` with `defaults`, or create it; in one transaction, the row locked on PostgreSQL. */
  updateOrCreate(lookup: LookupValues<M>, defaults: LookupValues<M> = {}): Promise<[Instance<M>, boolean]> {
    return atomic(
      async () => {
        const [instance, created] = await this.#asInstances().selectForUpdate().getOrCreate(lookup, defaults);
        if (created) return [instance, true] as [Instance<M>, boolean];
        assignValues(this.#state.model, instance as unknown as Record<string, unknown>, defaults as Record<string, unknown>, 'updateOrCreate()');
        await instance.save({ using: aliasOf(this.#state) });
        return [instance, false] as [Instance<M>, boolean];
      },
      { using: aliasOf(this.#state) },
    );
  }

  /**
   * Stream rows in chunks (one query per chunk), for results too large to
   * hold at once. Unordered querysets page by primary key (keyset); ordered
   * ones by offset.
   * @example
   * for await (const post of Post.objects.iterator({ chunkSize: 500 })) await index(post);
   */
  async *iterator(options: IteratorOptions = {}): AsyncGenerator<R, void, undefined> {
    const chunkSize = options.chunkSize ?? 1000;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new OrmUsageError(`iterator({ chunkSize }) needs a positive integer, got ${String(chunkSize)}.`);
    const state = this.#state;
    const ordering = state.order ?? state.model.meta.ordering;
    const byPk = ordering.length === 0 || (ordering.length === 1 && (ordering[0] === 'pk' || ordering[0] === state.model.meta.pk.name));
    if (!byPk || state.projection || state.annotations.size > 0 || state.limit !== null || state.offset > 0) {
      yield* this.#offsetChunks(chunkSize);
      return;
    }
    // Keyset paging: each chunk starts after the last key seen, so late chunks cost as little as early ones.
    const pkName = attnameOf(state.model.meta.pk);
    const ordered = this.#with<R, A>({ order: ['pk'] });
    let last: unknown = undefined;
    for (;;) {
      const page = last === undefined ? ordered : ordered.filter({ pk: { gt: last } } as unknown as Where<M, A>);
      const rows = (await fetchResults(page.slice(0, chunkSize).#state)) as Array<Record<string, unknown>>;
      for (const row of rows) yield row as R;
      if (rows.length < chunkSize) return;
      last = rows[rows.length - 1]![pkName];
    }
  }

  async *#offsetChunks(chunkSize: number): AsyncGenerator<R, void, undefined> {
    const limit = this.#state.limit ?? Infinity;
    for (let position = 0; position < limit; position += chunkSize) {
      const size = Math.min(chunkSize, limit - position);
      const rows = (await fetchResults(this.slice(position, position + size).#state)) as R[];
      for (const row of rows) yield row;
      if (rows.length < size) return;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.iterator();
  }

  /** The SQL and parameters this queryset runs (for debugging and tests). */
  toSql(): { sql: string; parameters: readonly unknown[] } {
    const alias = aliasOf(this.#state);
    const compiled = compileSelect(this.#state, executorOf(alias), dialectOf(alias)).query.compile();
    return { sql: compiled.sql, parameters: compiled.parameters };
  }

  /** `await queryset` runs it and resolves to the rows. */
  then<T1 = R[], T2 = never>(onfulfilled?: ((rows: R[]) => T1 | PromiseLike<T1>) | null, onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null): Promise<T1 | T2> {
    return (fetchResults(this.#state) as Promise<R[]>).then(onfulfilled, onrejected);
  }

  #asInstances(): QuerySet<M, Instance<M>, A> {
    return this.#with<Instance<M>, A>({ projection: null, annotations: this.#state.annotations });
  }

  async #tryGet(): Promise<R | null> {
    const rows = await takeMany(this.#state, 2);
    if (rows.length > 1) {
      const model = this.#state.model;
      throw new model.MultipleObjectsReturned(`More than one ${model.meta.modelName} matches ${describeWhere(this.#state.where)}.`);
    }
    return (rows[0] as R | undefined) ?? null;
  }
}
