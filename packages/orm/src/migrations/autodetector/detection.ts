import type { Operation } from '../operations/operation.js';
import type { FieldSpec } from '../state/field-spec.js';
import type { ModelState } from '../state/model-state.js';
import type { ProjectState } from '../state/project-state.js';
import type { Questioner } from '../questioner/questioner.js';
import type { Dependency, PlannedOperation } from './dependency.js';

/** Where a kind of generated operation goes in an app's list before dependency sorting (Django's generation order). */
export const Stage = {
  renameModel: 0,
  deleteRelations: 1,
  deleteModel: 2,
  createModel: 3,
  alterTable: 4,
  alterOptions: 5,
  renameField: 6,
  removeIndex: 7,
  removeField: 8,
  addField: 9,
  alterField: 10,
  addIndex: 11,
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/**
 * The working data of one autodetector run: `from` starts as a copy of the
 * migrations' state and has accepted renames applied as they are decided,
 * so later comparisons see renamed models and fields as unchanged.
 */
export class Detection {
  readonly from: ProjectState;
  readonly to: ProjectState;
  readonly questioner: Questioner;
  readonly #stages: PlannedOperation[][] = Array.from({ length: Object.keys(Stage).length }, () => []);

  constructor(from: ProjectState, to: ProjectState, questioner: Questioner) {
    this.from = from.clone();
    this.to = to;
    this.questioner = questioner;
  }

  /** Record a generated (bound) operation. */
  add(stage: Stage, operation: Operation, dependencies: readonly Dependency[] = []): void {
    this.#stages[stage]!.push({ operation, dependencies });
  }

  /** Apply a decided rename to the working `from` state and record it. */
  rename(stage: Stage, operation: Operation): void {
    operation.stateForwards(this.from);
    this.add(stage, operation);
  }

  /** Every generated operation in generation order. */
  planned(): PlannedOperation[] {
    return this.#stages.flat();
  }

  /** Models present on both sides (after renames): [before, after]. */
  commonModels(): Array<readonly [ModelState, ModelState]> {
    const out: Array<readonly [ModelState, ModelState]> = [];
    for (const after of this.to.modelsOf()) {
      const before = this.from.find(after.appLabel, after.name);
      if (before) out.push([before, after]);
    }
    return out;
  }
}

/** Dependencies of a field spec on the models it points at. */
export function relationDependencies(spec: FieldSpec): Dependency[] {
  const out: Dependency[] = [];
  for (const label of [spec.target, spec.through]) {
    if (label === undefined) continue;
    const dot = label.indexOf('.');
    out.push({ kind: 'model', app: label.slice(0, dot), model: label.slice(dot + 1).toLowerCase() });
  }
  return out;
}

/** Field names a check condition or unique constraint mentions (keys of filter objects, F() paths). */
export function constraintFields(constraint: { kind: 'unique'; fields: readonly string[] } | { kind: 'check'; condition: unknown }): string[] {
  if (constraint.kind === 'unique') return [...constraint.fields];
  const names = new Set<string>();
  collectNames(constraint.condition, names, true);
  return [...names];
}

function collectNames(value: unknown, into: Set<string>, keysAreFields: boolean): void {
  if (value === null || typeof value !== 'object' || value instanceof Date) return;
  const node = (value as { node?: { kind?: string } }).node;
  if (node && typeof node.kind === 'string') {
    collectExpression(node, into);
    return;
  }
  const children = (value as { children?: unknown }).children;
  if (Array.isArray(children) && Object.getOwnPropertySymbols(value).length > 0) {
    for (const child of children) collectNames(child, into, true);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectNames(item, into, false);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (keysAreFields) into.add(key);
    collectNames(inner, into, false);
  }
}

function collectExpression(node: { kind?: string; path?: unknown; left?: unknown; right?: unknown }, into: Set<string>): void {
  if (node.kind === 'ref' && typeof node.path === 'string') into.add(node.path);
  if (node.kind === 'arith') {
    collectExpression(node.left as typeof node, into);
    collectExpression(node.right as typeof node, into);
  }
}
