import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';
import { FieldError, OrmUsageError } from '../errors.js';
import { didYouMean } from '../naming.js';
import { CompileContext, columnRef, and, type Scope, type Sql } from './compile-context.js';
import { compileExpression, type CompiledExpression } from './compile-expression.js';
import { compileWhere } from './compile-where.js';
import { containsAggregate, type Expression } from './expressions.js';
import { attnameOf, fullPlan, hydrationPlan, type ExtraPlan, type HydrationPlan, type RelatedPlan } from './hydrate.js';
import { JoinSet } from './joins.js';
import type { QueryState } from './query-state.js';
import { columnField, resolveColumnPath, unknownName } from './resolve-path.js';
import { isQNode, type WhereInput } from './where-input.js';

// Kysely's builder typed loosely: table and column names come from model metadata at run time.
export type AnySelect = SelectQueryBuilder<any, any, any>;

/** values()/valuesList() results: row keys and converters, in output order. */
export interface ValuesPlan {
  readonly keys: readonly string[];
  readonly names: readonly string[];
  readonly converters: ReadonlyArray<(raw: unknown) => unknown>;
}

export interface CompiledSelect {
  readonly query: AnySelect;
  /** How to build instances (null for values()). */
  readonly hydration: HydrationPlan | null;
  readonly values: ValuesPlan | null;
}

export function asBool(fragment: Sql): RawBuilder<SqlBool> {
  return fragment as RawBuilder<SqlBool>;
}

/** Compiled FROM/JOIN/WHERE/HAVING of a state, shared by every kind of SELECT. */
interface Base {
  readonly ctx: CompileContext;
  readonly scope: Scope;
  readonly where: Sql[];
  readonly having: Sql[];
  readonly annotations: Map<string, CompiledExpression>;
  readonly grouped: boolean;
}

function compileBase(state: QueryState, dialect: Dialect): Base {
  const ctx = new CompileContext(dialect);
  const alias = ctx.nextAlias();
  const scope: Scope = { ctx, model: state.model, alias, joins: new JoinSet(ctx), annotations: state.annotations };
  const annotations = new Map<string, CompiledExpression>();
  for (const [name, expression] of state.annotations) annotations.set(name, compileExpression(scope, expression.node, `annotate({ ${name} })`));
  const where: Sql[] = [];
  const having: Sql[] = [];
  for (const condition of state.where) {
    const compiled = compileWhere(scope, condition, 'filter()');
    (mentionsAggregate(condition, state.annotations) ? having : where).push(compiled);
  }
  const grouped = having.length > 0 || [...state.annotations.values()].some((e) => containsAggregate(e.node));
  return { ctx, scope, where, having, annotations, grouped };
}

/** True when a condition names an aggregate annotation: it then goes to HAVING. */
function mentionsAggregate(condition: WhereInput | unknown, annotations: ReadonlyMap<string, Expression>): boolean {
  if (annotations.size === 0) return false;
  if (isQNode(condition)) return condition.children.some((child) => mentionsAggregate(child, annotations));
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.keys(condition).some((key) => {
    const annotation = annotations.get(key);
    return annotation !== undefined && containsAggregate(annotation.node);
  });
}

function fromClause(db: Kysely<any>, base: Base): AnySelect {
  let query: AnySelect = db.selectFrom(`${base.scope.model.meta.table} as ${base.scope.alias}`);
  for (const join of base.scope.joins.joins) {
    const table = `${join.table} as ${join.alias}`;
    query = join.kind === 'inner' ? query.innerJoin(table, (on) => on.on(asBool(join.on))) : query.leftJoin(table, (on) => on.on(asBool(join.on)));
  }
  if (base.where.length > 0) query = query.where(asBool(and(base.where)));
  return query;
}

/** Columns of the root model to load (onlyFields/defer), the primary key always included. */
function loadedFields(state: QueryState): AnyField[] {
  const meta = state.model.meta;
  const check = (name: string, method: string): void => {
    if (!columnField(state.model, name)) throw unknownName(state.model, name, `${method}()`);
  };
  state.only?.forEach((name) => check(name, 'onlyFields'));
  state.defer.forEach((name) => check(name, 'defer'));
  if (!state.only && state.defer.length === 0) return [...meta.columnFields];
  const named = (field: AnyField, names: readonly string[]): boolean => names.includes(field.name) || names.includes(attnameOf(field));
  return meta.columnFields.filter((field) => field.isPrimaryKey || ((!state.only || named(field, state.only)) && !named(field, state.defer)));
}

/** SELECT for rows: instances (with selectRelated joins and annotations) or values(). */
export function compileSelect(state: QueryState, db: Kysely<any>, dialect: Dialect, slots?: SliceSlots): CompiledSelect {
  const base = compileBase(state, dialect);
  const { scope, annotations } = base;
  const selections: Array<string | ReturnType<Sql['as']>> = [];
  const groupBy: Sql[] = [];
  let hydration: HydrationPlan | null = null;
  let values: ValuesPlan | null = null;
  let selectAllRoot = false;

  if (state.projection) {
    values = projectValues(state, base, selections, groupBy);
  } else {
    const fields = loadedFields(state);
    const root = fields.length === state.model.meta.columnFields.length && annotations.size === 0 && state.selectRelated.length === 0
      ? fullPlan(state.model, dialect)
      : hydrationPlan(state.model, fields, '', dialect);
    if (root.columns.length === state.model.meta.columnFields.length && !base.grouped) {
      // Every column: `t0.*` is cheaper to build, compile and prepare than a column list.
      selectAllRoot = true;
    } else {
      for (const field of fields) {
        selections.push(`${scope.alias}.${field.column}`);
        if (base.grouped) groupBy.push(columnRef(scope.alias, field.column));
      }
    }
    const related = selectRelated(state, base, root, selections, groupBy, dialect);
    const extras: ExtraPlan[] = [];
    for (const [name, compiled] of annotations) {
      selections.push(compiled.sql.as(name));
      extras.push({ key: name, convert: compiled.convert });
    }
    hydration = related || extras.length > 0 ? { ...root, extras, related: root.related } : root;
  }

  // Orderings may add joins ('author.name'): compile them before the FROM clause is built.
  const order = orderTerms(state, base, values);
  let query = fromClause(db, base);
  if (selectAllRoot) query = query.selectAll(scope.alias);
  if (selections.length > 0) query = query.select(selections as never);
  if (base.grouped && groupBy.length > 0) query = query.groupBy(groupBy);
  if (base.having.length > 0) query = query.having(asBool(and(base.having)));
  if (state.distinct) query = query.distinct();
  for (const term of order) query = query.orderBy(term);
  query = applySlice(query, state, dialect, slots);
  if (state.forUpdate && dialect === 'postgres') query = query.forUpdate(scope.alias);
  return { query, hydration, values };
}

/** Joins and hydration plans for selectRelated('author', 'author.profile'). Returns true when any were added. */
function selectRelated(state: QueryState, base: Base, root: HydrationPlan, selections: Array<string | ReturnType<Sql['as']>>, groupBy: Sql[], dialect: Dialect): boolean {
  if (state.selectRelated.length === 0) return false;
  const plans = new Map<string, HydrationPlan>();
  const rootRelated: RelatedPlan[] = [];
  (root as { related: readonly RelatedPlan[] }).related = rootRelated;
  for (const path of state.selectRelated) {
    let model = state.model;
    let alias = base.scope.alias;
    let parentRelated = rootRelated;
    let nullable = false;
    let prefix = '';
    for (const name of path.split('.')) {
      prefix = prefix ? `${prefix}.${name}` : name;
      const field = model.meta.fieldMap.get(name);
      if (!(field instanceof ForeignKey) || field.name !== name) {
        const fks = model.meta.foreignKeys.map((fk) => fk.name);
        throw new FieldError(
          `selectRelated('${path}'): '${name}' is not a foreign key or one-to-one of ${model.name}${didYouMean(name, fks) || '.'}` +
            ` Use prefetchRelated() for reverse and many-to-many relations.`,
        );
      }
      nullable = nullable || field.isNullable;
      alias = base.scope.joins.forward(alias, field, nullable ? 'left' : 'inner');
      model = field.target;
      let plan = plans.get(prefix);
      if (!plan) {
        plan = { ...hydrationPlan(model, model.meta.columnFields, `${alias}.`, dialect), related: [] };
        plans.set(prefix, plan);
        parentRelated.push({ name, plan, reverseName: field.kind === 'oneToOne' ? field.relatedName : null });
        for (const column of model.meta.columnFields) {
          selections.push(columnRef(alias, column.column).as(`${alias}.${column.column}`));
          if (base.grouped) groupBy.push(columnRef(alias, column.column));
        }
      }
      parentRelated = plan.related as RelatedPlan[];
    }
  }
  return true;
}

function projectValues(state: QueryState, base: Base, selections: Array<string | ReturnType<Sql['as']>>, groupBy: Sql[]): ValuesPlan {
  const projection = state.projection!;
  const { scope, annotations } = base;
  const method = projection.kind === 'values' ? 'values()' : 'valuesList()';
  const names = projection.fields.length > 0 ? projection.fields : [...state.model.meta.columnFields.map(attnameOf), ...annotations.keys()];
  const keys: string[] = [];
  const converters: Array<(raw: unknown) => unknown> = [];
  names.forEach((name, index) => {
    const key = projection.kind === 'values' ? name : `c${index}`;
    const annotation = annotations.get(name);
    const compiled = annotation ?? compileExpression(scope, { kind: 'ref', path: name }, method);
    selections.push(compiled.sql.as(key));
    keys.push(key);
    converters.push(compiled.convert);
    const expression = state.annotations.get(name);
    if (base.grouped && !(expression && containsAggregate(expression.node))) groupBy.push(compiled.sql);
  });
  if (base.grouped && !state.groupByValues) groupBy.unshift(columnRef(scope.alias, state.model.meta.pk.column));
  return { keys, names, converters };
}

function orderTerms(state: QueryState, base: Base, values: ValuesPlan | null): Sql[] {
  const useDefault = state.order === null;
  if (useDefault && ((base.grouped && state.groupByValues) || (state.distinct && values))) return [];
  const terms = state.order ?? state.model.meta.ordering;
  return terms.map((term) => {
    const descending = term.startsWith('-');
    const name = descending ? term.slice(1) : term;
    if (state.distinct && values && !values.names.includes(name)) {
      throw new OrmUsageError(`orderBy('${term}') with distinct() must order by a selected field (${values.names.join(', ')}); add '${name}' to values().`);
    }
    const annotation = base.annotations.get(name);
    let expression: Sql;
    let nullable: boolean;
    if (annotation) {
      expression = annotation.sql;
      nullable = true;
    } else {
      const column = resolveColumnPath(base.scope, name, 'orderBy()');
      const ref = columnRef(column.alias, column.field.column);
      expression = column.field.kind === 'decimal' && base.ctx.dialect === 'sqlite' ? sql`cast(${ref} as real)` : ref;
      nullable = column.field.isNullable || name.includes('.');
    }
    // NULLs sort as the largest value on both databases (PostgreSQL's default; SQLite's is the opposite).
    const direction = descending ? (nullable ? 'desc nulls first' : 'desc') : nullable ? 'asc nulls last' : 'asc';
    return sql`${expression} ${sql.raw(direction)}`;
  });
}

/**
 * Stand-ins for the LIMIT and OFFSET values, used instead of the state's
 * numbers when the compile cache compiles a shape (query-shape.ts).
 */
export interface SliceSlots {
  readonly limit: unknown;
  readonly offset: unknown;
}

/**
 * LIMIT's value as a parameter. On SQLite it is wrapped in a cast: a bare
 * `LIMIT ?` is a parameter SQLite's planner looks at, so binding it marks
 * the prepared statement expired and every run re-prepares it (about as
 * costly as the lookup itself); a cast hides it from the planner.
 * https://www.sqlite.org/c3ref/prepare.html ("If the specific value bound to a host parameter ...")
 */
function limitValue(value: unknown, dialect: Dialect): RawBuilder<number> {
  return dialect === 'sqlite' ? sql<number>`cast(${value} as integer)` : sql<number>`${value}`;
}

function applySlice(query: AnySelect, state: QueryState, dialect: Dialect, slots?: SliceSlots): AnySelect {
  let out = query;
  if (state.limit !== null) out = out.limit(limitValue(slots ? slots.limit : state.limit, dialect));
  else if (state.offset > 0 && dialect === 'sqlite') out = out.limit(sql.lit(-1)); // SQLite needs LIMIT before OFFSET
  if (state.offset > 0) out = out.offset(slots ? sql<number>`${slots.offset}` : state.offset);
  return out;
}

/** True when counting/aggregating must wrap the query (slices, DISTINCT, GROUP BY). */
function needsSubquery(state: QueryState): boolean {
  return state.limit !== null || state.offset > 0 || state.distinct || [...state.annotations.values()].some((e) => containsAggregate(e.node));
}

/** SELECT count(*) for count(). */
export function compileCount(state: QueryState, db: Kysely<any>, dialect: Dialect, slots?: SliceSlots): AnySelect {
  const plain = { ...state, order: [] as readonly string[], selectRelated: [] as readonly string[], forUpdate: false };
  if (needsSubquery(state) || state.projection) {
    return db.selectFrom(compileSelect(plain, db, dialect, slots).query.as('counted')).select(sql<number>`count(*)`.as('count'));
  }
  const base = compileBase(plain, dialect);
  return fromClause(db, base).select(sql<number>`count(*)`.as('count'));
}

/** SELECT 1 ... LIMIT 1 for exists(). */
export function compileExists(state: QueryState, db: Kysely<any>, dialect: Dialect, slots?: SliceSlots): AnySelect {
  const plain = { ...state, order: [] as readonly string[], selectRelated: [] as readonly string[], forUpdate: false };
  if (needsSubquery(state) || state.projection) {
    return db.selectFrom(compileSelect(plain, db, dialect, slots).query.as('found')).select(sql<number>`1`.as('one')).limit(sql.lit(1));
  }
  return fromClause(db, compileBase(plain, dialect)).select(sql<number>`1`.as('one')).limit(sql.lit(1));
}

/** SELECT of primary keys only (delete(), and the inner query of sliced updates/aggregates). */
export function compilePks(state: QueryState, db: Kysely<any>, dialect: Dialect): AnySelect {
  const plain: QueryState = { ...state, selectRelated: [], projection: null, forUpdate: false };
  const base = compileBase(plain, dialect);
  const pk = state.model.meta.pk.column;
  const order = state.limit !== null || state.offset > 0 ? orderTerms(plain, base, null) : [];
  let query = fromClause(db, base).select(`${base.scope.alias}.${pk}`);
  if (base.grouped) query = query.groupBy(columnRef(base.scope.alias, pk));
  if (base.having.length > 0) query = query.having(asBool(and(base.having)));
  // Rows are unique by primary key here (many-valued joins only come with GROUP BY pk), so DISTINCT is not needed.
  for (const term of order) query = query.orderBy(term);
  return applySlice(query, state, dialect);
}

/** SELECT of aggregates over the queryset's rows (aggregate()). */
export function compileAggregate(
  state: QueryState,
  spec: ReadonlyMap<string, Expression>,
  db: Kysely<any>,
  dialect: Dialect,
): { query: AnySelect; converters: Map<string, (raw: unknown) => unknown> } {
  const wrap = needsSubquery(state);
  const outer: QueryState = wrap ? { ...state, where: [], limit: null, offset: 0, distinct: false, annotations: new Map() } : { ...state, annotations: new Map() };
  const base = compileBase(outer, dialect);
  const converters = new Map<string, (raw: unknown) => unknown>();
  const selections: Array<ReturnType<Sql['as']>> = [];
  for (const [name, expression] of spec) {
    if (!containsAggregate(expression.node)) throw new OrmUsageError(`aggregate({ ${name} }) needs an aggregate (Count, Sum, Avg, Min, Max); use annotate() for per-row values.`);
    const compiled = compileExpression(base.scope, expression.node, `aggregate({ ${name} })`);
    selections.push(compiled.sql.as(name));
    converters.set(name, compiled.convert);
  }
  let query = fromClause(db, base);
  if (wrap) {
    const inner = compilePks(state, db, dialect);
    query = query.where(asBool(sql`${columnRef(base.scope.alias, state.model.meta.pk.column)} in (${inner})`));
  }
  return { query: query.select(selections as never), converters };
}
