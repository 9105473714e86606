import type { AnyModel } from '../../model/model.js';
import { didYouMean } from '../../naming.js';
import { MigrationStateError } from '../errors.js';
import { HistoricalModels } from './historical-models.js';
import { modelKey, modelStateFromModel, type ModelState } from './model-state.js';

/**
 * Every model of the project as plain data, keyed 'app.model' (lower case):
 * the state that replaying migrations builds, or that the declared models
 * have. The autodetector compares two of them; operations move one forward.
 * ModelStates are immutable, so clone() is a cheap shallow copy.
 * @example
 * const state = ProjectState.fromModels(allModels());
 * state.get('blog', 'Post').fields.length;
 */
export class ProjectState {
  readonly #models: Map<string, ModelState>;
  /** The declared models a state was built from (fromModels), by key: the autodetector reads function defaults there. */
  readonly #sources: ReadonlyMap<string, AnyModel>;
  #rendered: HistoricalModels | null = null;

  constructor(models: Iterable<ModelState> = [], sources: ReadonlyMap<string, AnyModel> = new Map()) {
    this.#models = new Map();
    for (const model of models) this.#models.set(modelKey(model.appLabel, model.name), model);
    this.#sources = sources;
  }

  /**
   * The state of declared models; join models auto-created for
   * many-to-many fields are left out (the field stands for them).
   */
  static fromModels(models: Iterable<AnyModel>): ProjectState {
    const states: ModelState[] = [];
    const sources = new Map<string, AnyModel>();
    for (const model of models) {
      if (model.meta.autoCreatedFor) continue;
      states.push(modelStateFromModel(model));
      sources.set(modelKey(model.meta.appLabel, model.meta.modelName), model);
    }
    return new ProjectState(states, sources);
  }

  /** Models by key ('blog.post'). Change them through add/replace/remove so rendered models stay in step. */
  get models(): ReadonlyMap<string, ModelState> {
    return this.#models;
  }

  clone(): ProjectState {
    return new ProjectState(this.#models.values(), this.#sources);
  }

  /** The model, or undefined. */
  find(appLabel: string, name: string): ModelState | undefined {
    return this.#models.get(modelKey(appLabel, name));
  }

  /** The model, or a MigrationStateError naming the closest one. */
  get(appLabel: string, name: string, what = 'Migration state'): ModelState {
    const found = this.find(appLabel, name);
    if (found) return found;
    const label = `${appLabel}.${name}`;
    const known = [...this.#models.values()].map((m) => `${m.appLabel}.${m.name}`);
    throw new MigrationStateError(
      `${what}: no model ${label} exists at this point of the migrations${didYouMean(label, known) || '.'} Check the migration's dependencies (the migration creating ${label} must come first).`,
    );
  }

  has(appLabel: string, name: string): boolean {
    return this.#models.has(modelKey(appLabel, name));
  }

  /** Add a model; a model of that label must not exist yet. */
  add(model: ModelState): void {
    const key = modelKey(model.appLabel, model.name);
    if (this.#models.has(key)) throw new MigrationStateError(`Model ${model.appLabel}.${model.name} already exists in the migration state; a migration creates it twice.`);
    this.#models.set(key, model);
    this.#rendered = null;
  }

  /** Replace the model stored under `appLabel.name` (which may be renamed by `model`). */
  replace(appLabel: string, name: string, model: ModelState): void {
    this.get(appLabel, name);
    const oldKey = modelKey(appLabel, name);
    const newKey = modelKey(model.appLabel, model.name);
    if (oldKey !== newKey) {
      if (this.#models.has(newKey)) throw new MigrationStateError(`Cannot rename ${appLabel}.${name} to ${model.appLabel}.${model.name}: that model already exists.`);
      // Keep the position, so model order stays stable across a rename.
      const entries = [...this.#models.entries()].map(([key, value]) => (key === oldKey ? ([newKey, model] as const) : ([key, value] as const)));
      this.#models.clear();
      for (const [key, value] of entries) this.#models.set(key, value);
    } else {
      this.#models.set(newKey, model);
    }
    this.#rendered = null;
  }

  remove(appLabel: string, name: string): ModelState {
    const model = this.get(appLabel, name);
    this.#models.delete(modelKey(appLabel, name));
    this.#rendered = null;
    return model;
  }

  /** Models of one app (all when omitted), in insertion order. */
  modelsOf(appLabel?: string): ModelState[] {
    const all = [...this.#models.values()];
    return appLabel === undefined ? all : all.filter((model) => model.appLabel === appLabel);
  }

  /** App labels that have at least one model. */
  appLabels(): string[] {
    return [...new Set([...this.#models.values()].map((model) => model.appLabel))];
  }

  /** The declared model this state was built from (fromModels only). */
  sourceModel(appLabel: string, name: string): AnyModel | undefined {
    return this.#sources.get(modelKey(appLabel, name));
  }

  /**
   * Historical models of this state (rendered on first use, cached until
   * the state changes): real models, not registered globally.
   */
  renderModels(): HistoricalModels {
    return (this.#rendered ??= new HistoricalModels(new Map(this.#models)));
  }
}
