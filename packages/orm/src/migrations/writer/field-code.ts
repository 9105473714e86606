import type { FieldSpec } from '../state/field-spec.js';
import { BUILDER_NAME } from '../state/spec-builders.js';
import { code, type Code } from './code.js';

/** Options written first, so a field reads like its declaration. */
const LEADING = ['maxLength', 'maxDigits', 'decimalPlaces', 'onDelete', 'relatedName'];

/**
 * A field spec as a call of the migrations' `f`:
 * `f.string({ maxLength: 200 })`, `f.foreignKey('auth.User', { onDelete: 'CASCADE' })`.
 * @example
 * printCode(fieldCode({ kind: 'text', options: {} }), 0); // 'f.text()'
 */
export function fieldCode(spec: FieldSpec): Code {
  const callee = `f.${BUILDER_NAME[spec.kind]}`;
  const options: Record<string, unknown> = { ...spec.options };
  if (spec.kind === 'manyToMany') {
    const m2m = code.object({
      relatedName: optional(spec.relatedName),
      through: optional(spec.through),
      dbTable: optional(spec.dbTable),
    });
    return m2m.kind === 'object' && m2m.entries.length === 0 ? code.call(callee, code.value(spec.target)) : code.call(callee, code.value(spec.target), m2m);
  }
  if (spec.onDelete !== undefined) options['onDelete'] = spec.onDelete;
  if (spec.relatedName !== undefined) options['relatedName'] = spec.relatedName;
  const ordered = Object.entries(options).sort(([a], [b]) => rank(a) - rank(b));
  const optionCode = code.object(ordered.map(([name, value]) => [name, code.value(value)] as const));
  const args: Code[] = [];
  if (spec.kind === 'enum') args.push(code.value(spec.values ?? []));
  if (spec.kind === 'foreignKey' || spec.kind === 'oneToOne') args.push(code.value(spec.target));
  if (ordered.length > 0 || spec.kind === 'foreignKey' || spec.kind === 'oneToOne') args.push(optionCode);
  return code.call(callee, ...args);
}

function rank(name: string): number {
  const index = LEADING.indexOf(name);
  return index === -1 ? LEADING.length : index;
}

function optional(value: string | undefined): Code | undefined {
  return value === undefined ? undefined : code.value(value);
}
