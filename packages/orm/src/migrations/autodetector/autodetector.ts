import { Migration, type MigrationDependency } from '../migration.js';
import { migrationNumber, suggestMigrationName } from '../migration-name.js';
import { CreateModel } from '../operations/create-model.js';
import type { Operation } from '../operations/operation.js';
import { optimize } from '../optimizer.js';
import type { Questioner } from '../questioner/questioner.js';
import type { ProjectState } from '../state/project-state.js';
import { buildMigrations, trimToApps, type DraftMigration, type MigrationLeaves } from './build-migrations.js';
import { sortWithinApp, type PlannedOperation } from './dependency.js';
import { detectAddedFields, detectAlteredFields, detectRemovedFields, detectRenamedFields } from './detect-fields.js';
import { detectCreatedModels, detectDeletedModels, detectRenamedModels } from './detect-models.js';
import { detectIndexesAndConstraints, detectModelOptions } from './detect-options.js';
import { Detection } from './detection.js';
import { AutodetectorError } from '../errors.js';

export interface ChangesOptions {
  /** Only these apps (plus apps their new migrations need). Default: every app with changes. */
  readonly apps?: readonly string[];
  /** Name (after the number) for each app's first new migration instead of a generated one. */
  readonly name?: string;
  /** Clock for 'auto_<timestamp>' names. */
  readonly now?: Date;
}

/**
 * Compare the state the migrations build (`from`) with the declared models
 * (`to`) and produce the migrations that take one to the other (Django's
 * MigrationAutodetector): ask about renames and one-off values, generate
 * operations with their dependencies, order them, cut them into migrations
 * per app (more than one when relations form a cycle across apps), optimise
 * each, then number and name them after the apps' existing leaves.
 * @example
 * const changes = await new Autodetector(loaderState, ProjectState.fromModels(models), questioner).changes(leaves);
 * for (const [app, migrations] of changes) for (const m of migrations) console.log(m.key);
 */
export class Autodetector {
  readonly #from: ProjectState;
  readonly #to: ProjectState;
  readonly #questioner: Questioner;

  constructor(from: ProjectState, to: ProjectState, questioner: Questioner) {
    this.#from = from;
    this.#to = to;
    this.#questioner = questioner;
  }

  /** New migrations per app label (bound, named, with dependencies); empty when nothing changed. */
  async changes(leaves: MigrationLeaves, options: ChangesOptions = {}): Promise<Map<string, Migration[]>> {
    const perApp = await this.detect();
    let drafts = buildMigrations(perApp, leaves);
    if (options.apps) drafts = trimToApps(drafts, options.apps);
    for (const list of drafts.values()) {
      for (const draft of list) draft.operations = this.#tidy(optimize(draft.operations));
    }
    return this.#arrange(drafts, leaves, options);
  }

  /** The generated operations per app, in dependency order (before being cut into migrations). */
  async detect(): Promise<Map<string, PlannedOperation[]>> {
    checkRelationTargets(this.#to);
    const detection = new Detection(this.#from, this.#to, this.#questioner);
    // Renames first: the questions come in a natural order, and later steps compare renamed things as equal.
    await detectRenamedModels(detection);
    await detectRenamedFields(detection);
    detectDeletedModels(detection);
    detectCreatedModels(detection);
    detectModelOptions(detection);
    detectIndexesAndConstraints(detection);
    detectRemovedFields(detection);
    await detectAddedFields(detection);
    await detectAlteredFields(detection);
    const perApp = new Map<string, PlannedOperation[]>();
    for (const planned of detection.planned()) {
      const app = planned.operation.appLabel;
      perApp.set(app, [...(perApp.get(app) ?? []), planned]);
    }
    for (const [app, planned] of perApp) perApp.set(app, sortWithinApp(planned));
    return perApp;
  }

  /** CreateModel fields back in declaration order (relations were split off and folded back at the end). */
  #tidy(operations: Operation[]): Operation[] {
    return operations.map((operation) => {
      if (!(operation instanceof CreateModel)) return operation;
      const declared = this.#to.find(operation.appLabel, operation.name)?.fields.map(([name]) => name);
      if (!declared) return operation;
      const rank = (name: string): number => {
        const index = declared.indexOf(name);
        return index === -1 ? declared.length : index;
      };
      const fields = [...operation.fields].sort(([a], [b]) => rank(a) - rank(b));
      return new CreateModel({ name: operation.name, fields, options: operation.options }).bind(operation.appLabel);
    });
  }

  /** Number and name the drafts after each app's leaf, and turn them into bound Migrations. */
  #arrange(drafts: Map<string, DraftMigration[]>, leaves: MigrationLeaves, options: ChangesOptions): Map<string, Migration[]> {
    const names = new Map<DraftMigration, string>();
    for (const [app, list] of drafts) {
      const leaf = leaves.leaf(app);
      let number = (leaf !== null ? (migrationNumber(leaf) ?? 0) : 0) + 1;
      list.forEach((draft, i) => {
        const initial = leaf === null && i === 0;
        const suffix = i === 0 && options.name ? options.name : suggestMigrationName(draft.operations, initial, options.now);
        names.set(draft, `${String(number).padStart(4, '0')}_${suffix}`);
        number += 1;
      });
    }
    const out = new Map<string, Migration[]>();
    for (const [app, list] of [...drafts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const leaf = leaves.leaf(app);
      out.set(
        app,
        list.map((draft, i) => {
          const dependencies: MigrationDependency[] = [];
          const previous = i === 0 ? leaf : names.get(list[i - 1]!)!;
          if (previous !== null) dependencies.push([app, previous]);
          for (const dependency of draft.dependencies) {
            const resolved: MigrationDependency = Array.isArray(dependency) ? (dependency as MigrationDependency) : [(dependency as DraftMigration).app, names.get(dependency as DraftMigration)!];
            if (!dependencies.some(([a, n]) => a === resolved[0] && n === resolved[1])) dependencies.push(resolved);
          }
          const name = names.get(draft)!;
          return new Migration({ dependencies, operations: draft.operations, initial: leaf === null && i === 0 }, app, name);
        }),
      );
    }
    return out;
  }
}

/** Every relation of the declared models must point at a model that migrations will know (one of an installed app). */
function checkRelationTargets(state: ProjectState): void {
  for (const model of state.modelsOf()) {
    for (const [name, spec] of model.fields) {
      for (const label of [spec.target, spec.through]) {
        if (label === undefined) continue;
        const dot = label.indexOf('.');
        if (state.has(label.slice(0, dot), label.slice(dot + 1))) continue;
        throw new AutodetectorError(
          `${model.appLabel}.${model.name}.${name} points at ${label}, which is not a model of an installed app, so no migration can create it. Add '${label.slice(0, dot)}' to INSTALLED_APPS (or fix the relation).`,
        );
      }
    }
  }
}
