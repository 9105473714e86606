import { Expression, type ExpressionNode } from '../../query/expressions.js';
import { isQNode, Q_NODE } from '../../query/where-input.js';
import { InvalidMigration } from '../errors.js';

/**
 * The intermediate form of migration source code: operations describe
 * themselves as Code trees (`toCode()`), and the printer lays them out
 * (flat when a line fits, one item per line otherwise), so generated files
 * are formatted without a formatter dependency.
 */
export type Code =
  | { readonly kind: 'raw'; readonly text: string; readonly uses: readonly string[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Code[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, Code]>; readonly multiline?: boolean }
  | { readonly kind: 'array'; readonly items: readonly Code[]; readonly multiline?: boolean };

/** Code builders. */
export const code = {
  /** Source text as is; `uses` names the imports it needs. */
  raw(text: string, uses: readonly string[] = []): Code {
    return { kind: 'raw', text, uses };
  },
  call(callee: string, ...args: Code[]): Code {
    return { kind: 'call', callee, args };
  },
  /** An object literal; entries whose value is undefined are left out; `multiline` puts each entry on its own line. */
  object(entries: Readonly<Record<string, Code | undefined>> | ReadonlyArray<readonly [string, Code | undefined]>, options: { multiline?: boolean } = {}): Code {
    const list = Array.isArray(entries) ? (entries as ReadonlyArray<readonly [string, Code | undefined]>) : Object.entries(entries);
    const kept = list.filter((entry): entry is readonly [string, Code] => entry[1] !== undefined);
    return options.multiline && kept.length > 0 ? { kind: 'object', entries: kept, multiline: true } : { kind: 'object', entries: kept };
  },
  /** An array literal; `multiline` puts each item on its own line even when they would fit on one. */
  array(items: readonly Code[], options: { multiline?: boolean } = {}): Code {
    return options.multiline && items.length > 0 ? { kind: 'array', items, multiline: true } : { kind: 'array', items };
  },
  /** A literal: JSON values, bigint, Date, Q nodes and F() expressions. */
  value(value: unknown): Code {
    return valueCode(value);
  },
};

function valueCode(value: unknown): Code {
  if (value === null) return code.raw('null');
  if (value instanceof Expression) return code.raw(expressionText(value.node), ['F']);
  if (isQNode(value)) return code.call(`Q.${value[Q_NODE]}`, ...value.children.map(valueCode));
  switch (typeof value) {
    case 'boolean':
      return code.raw(String(value));
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidMigration(`Cannot write ${value} into a migration file.`);
      return code.raw(Object.is(value, -0) ? '-0' : String(value));
    case 'bigint':
      return code.raw(`${value}n`);
    case 'string':
      return code.raw(quote(value));
    case 'object': {
      if (value instanceof Date) return code.raw(`new Date(${quote(value.toISOString())})`);
      if (Array.isArray(value)) return code.array(value.map(valueCode));
      return code.object(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, valueCode(v)] as const));
    }
    default:
      throw new InvalidMigration(`Cannot write a ${typeof value} into a migration file; only literals (JSON values, dates, bigints) can be serialised.`);
  }
}

const METHOD: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };

function expressionText(node: ExpressionNode): string {
  switch (node.kind) {
    case 'ref':
      return `F(${quote(node.path)})`;
    case 'value':
      return typeof node.value === 'string' ? quote(node.value) : typeof node.value === 'bigint' ? `${node.value}n` : String(node.value);
    case 'arith':
      return `${expressionText(node.left)}.${METHOD[node.op]}(${expressionText(node.right)})`;
    case 'aggregate':
      throw new InvalidMigration('Aggregates cannot appear in a migration (check constraints compare columns of one row).');
  }
}

/** A single-quoted JavaScript string literal. */
export function quote(text: string): string {
  const json = JSON.stringify(text).slice(1, -1);
  return `'${json.replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** `key` as an object key: bare when it is an identifier. */
function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

const WIDTH = 120;

/**
 * Lay out code at `indent` spaces: flat when it fits in the line, else one
 * entry per line with trailing commas (calls with one object or array
 * argument hug it: `ops.createModel({`).
 * @example
 * printCode(code.call('f.string', code.value({ maxLength: 200 })), 0); // "f.string({ maxLength: 200 })"
 */
export function printCode(node: Code, indent: number, prefixLength = 0): string {
  const flat = flatText(node);
  if (!flat.includes('\n') && indent + prefixLength + flat.length <= WIDTH) return flat;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  switch (node.kind) {
    case 'raw':
      return node.text;
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[\n${node.items.map((item) => `${pad}${printCode(item, indent + 2)},`).join('\n')}\n${close}]`;
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{\n${node.entries.map(([name, value]) => `${pad}${key(name)}: ${printCode(value, indent + 2, key(name).length + 2)},`).join('\n')}\n${close}}`;
    case 'call': {
      const only = node.args.length === 1 ? node.args[0]! : null;
      if (only && (only.kind === 'object' || only.kind === 'array')) return `${node.callee}(${printCode(only, indent, node.callee.length + 1)})`;
      if (node.args.length > 1 && node.args.slice(0, -1).every((arg) => arg.kind === 'raw') && node.args.at(-1)!.kind === 'object') {
        // f.foreignKey('blog.Author', { ... }): keep the leading literals on the first line.
        const head = node.args.slice(0, -1).map(flatText).join(', ');
        return `${node.callee}(${head}, ${printCode(node.args.at(-1)!, indent, node.callee.length + head.length + 3)})`;
      }
      return `${node.callee}(\n${node.args.map((arg) => `${pad}${printCode(arg, indent + 2)},`).join('\n')}\n${close})`;
    }
  }
}

function flatText(node: Code): string {
  switch (node.kind) {
    case 'raw':
      return node.text;
    case 'array':
      // A line break tells the enclosing node it cannot be flat either.
      return node.multiline ? `[\n${node.items.map(flatText).join(',\n')}]` : `[${node.items.map(flatText).join(', ')}]`;
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{${node.multiline ? '\n' : ' '}${node.entries.map(([name, value]) => `${key(name)}: ${flatText(value)}`).join(', ')} }`;
    case 'call':
      return `${node.callee}(${node.args.map(flatText).join(', ')})`;
  }
}

/** Identifiers the code needs imported (`ops`, `f`, `Q`, `F`). */
export function usedNames(node: Code, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'raw':
      for (const name of node.uses) into.add(name);
      break;
    case 'call':
      into.add(node.callee.split('.')[0]!);
      for (const arg of node.args) usedNames(arg, into);
      break;
    case 'array':
      for (const item of node.items) usedNames(item, into);
      break;
    case 'object':
      for (const [, value] of node.entries) usedNames(value, into);
      break;
  }
  return into;
}
