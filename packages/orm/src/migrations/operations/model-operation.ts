import type { FieldSpec } from '../state/field-spec.js';
import { replaceModelState } from '../state/model-state.js';
import type { ProjectState } from '../state/project-state.js';
import { applyToModel, type ModelChange } from './model-change.js';
import { Operation, sameName, splitLabel } from './operation.js';

/**
 * An operation on one existing model of its app, whose state half is a
 * ModelChange (so the optimizer can fold it into a CreateModel).
 */
export abstract class ModelOperation extends Operation {
  /** The model changed ('Post'). */
  abstract readonly modelName: string;
  /** The change to the model's definition. */
  abstract modelChange(): ModelChange;

  stateForwards(state: ProjectState): void {
    const current = state.get(this.appLabel, this.modelName, this.describe());
    const next = applyToModel(current, this.modelChange(), this.appLabel);
    state.replace(this.appLabel, this.modelName, replaceModelState(current, next));
  }

  touchedModels(): Array<readonly [string, string]> {
    return [[this.appLabel, this.modelName]];
  }

  override referencesModel(appLabel: string, name: string): boolean {
    return this.isModel(appLabel, name) || this.relatedSpecs().some((spec) => specReferences(spec, appLabel, name));
  }

  /** True when `appLabel.name` is this operation's model. */
  isModel(appLabel: string, name: string): boolean {
    return appLabel === this.appLabel && sameName(name, this.modelName);
  }

  /** Field specs this operation carries (their relation targets count as references). */
  protected relatedSpecs(): readonly FieldSpec[] {
    return [];
  }
}

/** True when a field spec's relation points at `appLabel.name`. */
export function specReferences(spec: FieldSpec, appLabel: string, name: string): boolean {
  return [spec.target, spec.through].some((label) => {
    if (label === undefined) return false;
    const [app, model] = splitLabel(label);
    return app === appLabel && sameName(model, name);
  });
}
