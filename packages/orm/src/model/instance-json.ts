import type { AnyModel } from './model.js';
import { attnameOf } from '../query/hydrate.js';

type Row = Record<string, unknown>;
/** toJSON() of an instance: its column values by attname, then any other own values (annotations). */
export type ToJson = (this: Row) => Record<string, unknown>;

/**
 * The toJSON() of `model`'s instances for the usual case, generated once
 * per model: every column set, no bigint, no other own property. It reads
 * each column by a literal name and returns one object literal, so V8 keeps
 * monomorphic loads and a single hidden class for the result; a loop over
 * the column names (`out[name] = this[name]`) goes through V8's megamorphic
 * keyed load and store on every property, which made serialising an
 * instance cost about twice the JSON.stringify() of a plain row (issue
 * #10). Anything else (unset
 * columns, bigints, annotations) is `general`'s work, which gives the same
 * result for the usual case too. Only JSON-quoted attnames go into the
 * generated source.
 * @example
 * Object.defineProperty(prototype, 'toJSON', { value: instanceToJson(Post, toJSON) });
 */
export function instanceToJson(model: AnyModel, general: ToJson): ToJson {
  const names = model.meta.columnFields.map(attnameOf);
  const reads = names.map((name, i) => `v${i} = this[${JSON.stringify(name)}]`);
  const unusual = names.map((_, i) => `v${i} === undefined || typeof v${i} === 'bigint'`);
  const literal = names.map((name, i) => `${JSON.stringify(name)}: v${i}`);
  const source = `"use strict";
return function toJSON() {
  const ${reads.join(', ')};
  // A set column is an own property, so no other own keys means as many keys as columns.
  if (${unusual.join(' || ')} || keys(this).length !== ${names.length}) return general.call(this);
  return { ${literal.join(', ')} };
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('general', 'keys', source)(general, Object.keys) as ToJson;
  } catch {
    // Code generation is disallowed (--disallow-code-generation-from-strings).
    return general;
  }
}
