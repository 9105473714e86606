import { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import { FieldError, OrmUsageError, ValidationError } from '../errors.js';
import { didYouMean } from '../naming.js';
import { defineRelationAccessors } from '../relations/accessors.js';
import { deleteInstances } from '../relations/deletion.js';
import { signals } from '../signals.js';
import { attnameOf, blankInstance } from '../query/hydrate.js';
import { writePlan } from '../query/write-plan.js';
import { forgetCompiledQueries } from '../query/compile-cache.js';
import { insertInstances, updateInstance } from '../query/persist.js';
import { instanceToJson, type ToJson } from './instance-json.js';
import { InstanceState, stateOf } from './instance-state.js';
import type { AnyModel } from './model.js';

type Row = Record<string, unknown>;

/** The model an instance prototype belongs to. */
const MODEL: unique symbol = Symbol('atrium.orm.model');
/** Many-to-many values given to build()/create(), applied after the first save. */
const pendingManyToMany = new WeakMap<object, Map<string, readonly unknown[]>>();

/** The model of an instance. */
export function modelOf(instance: object): AnyModel {
  const model = (instance as { [MODEL]?: AnyModel })[MODEL];
  if (!model) throw new TypeError('Not a model instance; load it through a queryset or Model.build()');
  return model;
}

/**
 * Copy `data` onto an instance: column values by field name, foreign keys as
 * an instance (`author`, which also caches it) or a key (`author` or
 * `authorId`), many-to-many lists kept for after the insert. Unknown names
 * raise FieldError with the closest field.
 */
export function assignValues(model: AnyModel, instance: Row, data: Row, method: string): void {
  const targets = writePlan(model).assign;
  for (const key in data) {
    if (!Object.prototype.hasOwnProperty.call(data, key)) continue;
    const value = data[key];
    if (value === undefined) continue;
    const target = targets.get(key);
    if (!target) {
      const names = [...model.meta.fieldMap.keys()];
      throw new FieldError(`${method}: unknown field '${key}' for ${model.name}${didYouMean(key, names) || '.'} Fields: ${names.join(', ')}.`);
    }
    if (target.kind === 'manyToMany') {
      if (!Array.isArray(value)) throw new OrmUsageError(`${method}: many-to-many '${key}' of ${model.name} takes an array of instances or keys.`);
      let pending = pendingManyToMany.get(instance);
      if (!pending) pendingManyToMany.set(instance, (pending = new Map()));
      pending.set(key, value);
      continue;
    }
    if (target.kind === 'foreignKey' && value !== null && typeof value === 'object') {
      instance[key] = value; // the relation accessor checks the type, sets `<name>Id` and caches the object
      continue;
    }
    instance[target.attname] = value;
  }
}

/**
 * An unsaved instance of `model` (Django's `Post(...)`): values from `data`,
 * then defaults for the rest; auto keys and autoNow times are filled by save().
 * @example
 * const post = Post.build({ title: 'Draft', author });
 * await post.save();
 */
export function buildInstance(model: AnyModel, data: Row): Row {
  return buildWithState(model, data, new InstanceState(model.meta.database, true));
}

/**
 * buildInstance() with a given state: bulkCreate() gives the instances it
 * builds one shared state (see InstanceState), marked saved once for all.
 */
export function buildWithState(model: AnyModel, data: Row, state: InstanceState): Row {
  // Own properties in field order, made by the constructor loaded instances come from (same hidden class, same key order).
  const instance = blankInstance(model, state) as Row;
  assignValues(model, instance, data, `${model.meta.modelName}.build()`);
  const columns = writePlan(model).columns;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    if (column.generated || instance[column.attname] !== undefined) continue;
    if (column.hasDefault) instance[column.attname] = column.field.getDefault();
    else if (column.field.isNullable) instance[column.attname] = null;
  }
  return instance;
}

async function save(this: Row, options: { updateFields?: readonly string[]; using?: string } = {}): Promise<void> {
  const model = modelOf(this);
  const state = stateOf(this);
  const alias = options.using ?? state.db;
  const updateFields = options.updateFields ?? null;
  let created = state.adding;
  if (updateFields && created) throw new OrmUsageError(`save({ updateFields }) on an unsaved ${model.name}; save() it once without updateFields first.`);
  if (signals.preSave.hasReceivers(model)) await signals.preSave.send(model, this, { created, using: alias, updateFields });
  if (created) {
    await insertInstances(model, [this], alias);
  } else {
    const changed = await updateInstance(model, this, alias, updateFields);
    if (changed === 0) {
      if (updateFields) throw new model.DoesNotExist(`save({ updateFields }): no ${model.meta.modelName} with primary key ${String(this[attnameOf(model.meta.pk)])} exists.`);
      // The row is gone (or the key was set by hand): insert it, as Django does.
      await insertInstances(model, [this], alias);
      created = true;
    }
  }
  state.adding = false;
  state.db = alias;
  const pending = pendingManyToMany.get(this);
  if (pending) {
    pendingManyToMany.delete(this);
    for (const [name, values] of pending) await (this[name] as { set(values: readonly unknown[]): Promise<void> }).set(values);
  }
  if (signals.postSave.hasReceivers(model)) await signals.postSave.send(model, this, { created, using: alias, updateFields });
}

async function remove(this: Row): Promise<void> {
  const model = modelOf(this);
  const state = stateOf(this);
  const pkName = attnameOf(model.meta.pk);
  const key = this[pkName];
  if (key === undefined || key === null || state.adding) throw new OrmUsageError(`Cannot delete an unsaved ${model.name} (it has no primary key).`);
  // deleteInstances sends this row's preDelete/postDelete inside its transaction, with the cascaded rows'.
  await deleteInstances(model, [key], state.db, { rootInstances: [this] });
  state.adding = true;
  // Like Django, a deleted instance forgets a generated key, so save() inserts a new row.
  if (model.meta.pk.isGenerated) this[pkName] = undefined;
}

async function refreshFromDb(this: Row): Promise<void> {
  const model = modelOf(this);
  const state = stateOf(this);
  const pkName = attnameOf(model.meta.pk);
  const fresh = (await model.objects.using(state.db).get({ pk: this[pkName] } as never)) as unknown as Row;
  for (const field of model.meta.columnFields) this[attnameOf(field)] = fresh[attnameOf(field)];
  state.relations.clear();
}

async function fullClean(this: Row, options: { exclude?: readonly string[] } = {}): Promise<void> {
  const model = modelOf(this);
  const state = stateOf(this);
  const exclude = new Set(options.exclude ?? []);
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string): void => {
    (errors[key] ??= []).push(message);
  };
  for (const field of model.meta.columnFields) {
    if (exclude.has(field.name)) continue;
    const value = this[attnameOf(field)];
    if (field.isGenerated && (value === undefined || value === null)) continue;
    for (const message of field.validate(value as never)) add(field.name, message);
  }
  const pkName = attnameOf(model.meta.pk);
  const own = state.adding ? null : this[pkName];
  const others = (conditions: Row) => {
    const qs = model.objects.using(state.db).filter(conditions as never);
    return own === null || own === undefined ? qs : qs.exclude({ pk: own } as never);
  };
  for (const field of model.meta.columnFields) {
    if (!field.isUnique || exclude.has(field.name) || errors[field.name]) continue;
    const value = this[attnameOf(field)];
    if (value === undefined || value === null) continue;
    if (field.isPrimaryKey && !state.adding) continue;
    if (await others({ [attnameOf(field)]: value }).exists()) {
      add(field.name, `${capitalize(model.meta.verboseName)} with this ${field.verboseName} already exists.`);
    }
  }
  for (const constraint of model.meta.constraints) {
    if (constraint.kind !== 'unique' || constraint.fields.some((name) => exclude.has(name) || errors[name])) continue;
    const conditions: Row = {};
    let complete = true;
    for (const name of constraint.fields) {
      const field = model.meta.fieldMap.get(name);
      const value = field ? this[attnameOf(field)] : undefined;
      if (!field || value === undefined || value === null) complete = false;
      else conditions[attnameOf(field)] = value;
    }
    if (complete && (await others(conditions).exists())) {
      const names = constraint.fields.map((name) => model.meta.fieldMap.get(name)?.verboseName ?? name);
      add('__all__', `${capitalize(model.meta.verboseName)} with this ${names.join(' and ')} already exists.`);
    }
  }
  const clean = model.options.clean;
  if (clean) {
    const extra = await clean(this);
    for (const [key, messages] of Object.entries(extra ?? {})) for (const message of messages) add(key, message);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The prototype's first toJSON(): generates the model's own (instance-json.ts;
 * its columns are final once model() returned) and puts it in its place.
 */
function firstToJson(prototype: object, model: AnyModel): ToJson {
  return function toJSON(this: Row): Record<string, unknown> {
    const generated = instanceToJson(model, columnsToJson);
    Object.defineProperty(prototype, 'toJSON', { value: generated, writable: true, configurable: true });
    return generated.call(this);
  };
}

function columnsToJson(this: Row): Record<string, unknown> {
  const model = modelOf(this);
  const columns = writePlan(model).columns;
  const out: Record<string, unknown> = {};
  // Own properties that are columns: when every own key is one, there are no annotations to add (the usual case).
  let ownColumns = 0;
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!.attname;
    const value = this[name];
    if (value === undefined) {
      if (Object.prototype.hasOwnProperty.call(this, name)) ownColumns++;
      continue;
    }
    ownColumns++;
    out[name] = typeof value === 'bigint' ? value.toString() : value;
  }
  const keys = Object.keys(this);
  if (keys.length === ownColumns) return out;
  for (const key of keys) {
    if (!(key in out) && !model.meta.fieldMap.has(key)) {
      const value = this[key];
      out[key] = typeof value === 'bigint' ? value.toString() : value; // annotations
    }
  }
  return out;
}

/**
 * The prototype of a model's instances: save(), delete(), refreshFromDb(),
 * fullClean(), toJSON(), `pk`, then the relation accessors (post.author,
 * post.tags, post.load()). Methods are non-enumerable, so Object.keys()
 * and JSON.stringify() see only the column values (and annotations).
 */
export function createInstancePrototype(model: AnyModel): object {
  // A new model can change how filter names resolve (reverse relations): compile shapes afresh.
  forgetCompiledQueries();
  const prototype = {};
  const pkName = (): string => attnameOf(model.meta.pk);
  Object.defineProperties(prototype, {
    [MODEL]: { value: model },
    save: { value: save, writable: true, configurable: true },
    delete: { value: remove, writable: true, configurable: true },
    refreshFromDb: { value: refreshFromDb, writable: true, configurable: true },
    fullClean: { value: fullClean, writable: true, configurable: true },
    toJSON: { value: firstToJson(prototype, model), writable: true, configurable: true },
    pk: {
      get(this: Row) {
        return this[pkName()];
      },
      set(this: Row, value: unknown) {
        this[pkName()] = value;
      },
      configurable: true,
    },
    [Symbol.toStringTag]: { value: model.meta.modelName, configurable: true },
  });
  defineRelationAccessors(prototype, model);
  return prototype;
}
