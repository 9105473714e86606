import type { AnyField, Dialect } from '../fields/field.js';
import { STATE, type InstanceState } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';

/** Where one instance property comes from in a driver row. */
export interface ColumnReader {
  /** Key in the driver's row object. */
  readonly key: string;
  /** Instance property (`authorId` for a foreign key). */
  readonly attname: string;
  readonly field: AnyField;
  /** False when the field's fromDb() is the identity: the raw value is used as is. */
  readonly convert: boolean;
}

type Row = Readonly<Record<string, unknown>>;

/**
 * Builds instances of one model from driver rows: `new Create(row, state, dialect)`,
 * or `new Create(null, state, dialect)` for an unsaved instance whose columns are
 * all `undefined`. Instances get the model's prototype and `state` (its own, or
 * the one shared by the rows of a result) under STATE.
 */
export type InstanceConstructor = new (row: Row | null, state: InstanceState, dialect: Dialect) => Record<string | symbol, unknown>;

const cache = new WeakMap<AnyModel, Map<string, InstanceConstructor>>();

/**
 * The instance constructor of `model` for these columns, made once per
 * column list. It is generated code (one straight-line assignment per
 * column, keys as string literals), because that is what makes hydration as
 * cheap as the object literal a hand-written row mapper would use:
 * instances are created by `new`, so V8 gives them in-object properties and
 * one hidden class; there is no per-row closure, loop or property
 * definition. Only JSON-quoted keys and column indexes go into the
 * generated source, never a value.
 * @example
 * const Create = instanceConstructor(Post, columns);
 * const post = new Create(row, new InstanceState('default', false), 'sqlite');
 */
export function instanceConstructor(model: AnyModel, columns: readonly ColumnReader[]): InstanceConstructor {
  let byShape = cache.get(model);
  if (!byShape) cache.set(model, (byShape = new Map()));
  let signature = '';
  for (const column of columns) signature += `\u0000${column.key}\u0001${column.attname}`;
  let found = byShape.get(signature);
  if (!found) {
    found = generate(model.prototype, columns) ?? interpret(model.prototype, columns);
    byShape.set(signature, found);
  }
  return found;
}

function generate(prototype: object, columns: readonly ColumnReader[]): InstanceConstructor | null {
  const blank: string[] = [];
  const read: string[] = [];
  columns.forEach((column, index) => {
    const attname = JSON.stringify(column.attname);
    blank.push(`this[${attname}] = undefined;`);
    const value = column.convert ? `raw === null || raw === undefined ? null : f${index}.fromDb(raw, dialect)` : 'raw === undefined ? null : raw';
    read.push(`raw = row[${JSON.stringify(column.key)}]; this[${attname}] = ${value};`);
  });
  const fieldBindings = columns.map((_, index) => `const f${index} = fields[${index}];`).join('\n');
  const source = `"use strict";
${fieldBindings}
function Instance(row, state, dialect) {
  if (row === null) {
    ${blank.join('\n    ')}
  } else {
    let raw;
    ${read.join('\n    ')}
  }
  this[STATE] = state;
}
Instance.prototype = prototype;
return Instance;`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('prototype', 'fields', 'STATE', source) as (...args: unknown[]) => InstanceConstructor;
    return factory(
      prototype,
      columns.map((column) => column.field),
      STATE,
    );
  } catch {
    // Code generation is disallowed (--disallow-code-generation-from-strings): use the loop below.
    return null;
  }
}

/** The same constructor as a loop over the columns, for runtimes that refuse generated code. */
function interpret(prototype: object, columns: readonly ColumnReader[]): InstanceConstructor {
  function Instance(this: Record<string | symbol, unknown>, row: Row | null, state: InstanceState, dialect: Dialect): void {
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      if (row === null) {
        this[column.attname] = undefined;
        continue;
      }
      const raw = row[column.key];
      this[column.attname] = raw === null || raw === undefined ? null : column.convert ? column.field.fromDb(raw, dialect) : raw;
    }
    this[STATE] = state;
  }
  Instance.prototype = prototype;
  return Instance as unknown as InstanceConstructor;
}
