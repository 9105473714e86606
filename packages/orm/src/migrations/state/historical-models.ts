import type { AnyField } from '../../fields/field.js';
import { ForeignKey, ManyToManyField } from '../../fields/relation-fields.js';
import { model, type AnyModel } from '../../model/model.js';
import type { ModelMeta } from '../../model/model-meta.js';
import { didYouMean } from '../../naming.js';
import { installReverseAccessor } from '../../relations/reverse-accessors.js';
import { MigrationStateError } from '../errors.js';
import { specToField, type FieldSpec } from './field-spec.js';
import type { ModelState } from './model-state.js';

/**
 * Real Model objects built from a migration state — the models as they were
 * at that point of the history — kept out of the global registry so they
 * never replace the declared models. Data migrations (RunCode) receive them,
 * and operations hand them to the schema editor. Models are rendered on
 * first use; relation targets resolve inside this set.
 * @example
 * const Post = state.renderModels().get('blog.Post');
 * await Post.objects.filter({ title: '' }).update({ title: 'untitled' });
 */
export class HistoricalModels {
  readonly #states: ReadonlyMap<string, ModelState>;
  readonly #rendered = new Map<string, AnyModel>();
  #complete = false;

  constructor(states: ReadonlyMap<string, ModelState>) {
    this.#states = states;
  }

  /** The historical model with this label ('blog.Post', case-insensitive); throws naming the known models. */
  get(label: string): AnyModel {
    const key = label.toLowerCase();
    const rendered = this.#rendered.get(key);
    if (rendered) return rendered;
    const state = this.#states.get(key);
    if (!state) {
      const known = [...this.#states.values()].map((m) => `${m.appLabel}.${m.name}`);
      throw new MigrationStateError(
        `No model '${label}' exists at this point of the migrations${didYouMean(label, known) || '.'} A migration that uses it must depend on the migration that creates it.`,
      );
    }
    return this.#render(key, state);
  }

  /** True when the state has a model with this label. */
  has(label: string): boolean {
    return this.#states.has(label.toLowerCase());
  }

  /** Every model of the state (join models of many-to-many fields excluded), with reverse relations installed. */
  all(): AnyModel[] {
    const models = [...this.#states.keys()].map((key) => this.get(key));
    if (!this.#complete) {
      this.#complete = true;
      this.#installReverseRelations(models);
    }
    return models;
  }

  #render(key: string, state: ModelState): AnyModel {
    const fields: Record<string, AnyField> = {};
    // Join models are built on first use: they need the rendered source and target.
    const joins = new Map<ManyToManyField, AnyModel>();
    const join = (field: ManyToManyField): AnyModel => {
      let found = joins.get(field);
      if (!found) joins.set(field, (found = joinModel(field)));
      return found;
    };
    for (const [name, spec] of state.fields) {
      if (spec.kind === 'manyToMany' && spec.through === undefined) {
        const field: ManyToManyField = this.#autoManyToMany(spec, () => join(field));
        fields[name] = field;
      } else {
        fields[name] = specToField(spec, (label) => this.get(label));
      }
    }
    const { options } = state;
    const rendered = model(`${state.appLabel}.${state.name}` as `${string}.${string}`, fields, {
      table: state.table,
      ordering: [...(options.ordering ?? [])] as never,
      constraints: [...(options.constraints ?? [])],
      indexes: (options.indexes ?? []).map((index) => ({ ...index })) as never,
      ...(options.verboseName !== undefined ? { verboseName: options.verboseName } : {}),
      ...(options.verboseNamePlural !== undefined ? { verboseNamePlural: options.verboseNamePlural } : {}),
      ...(options.database !== undefined ? { database: options.database } : {}),
      register: false,
    }) as AnyModel;
    this.#rendered.set(key, rendered);
    return rendered;
  }

  #autoManyToMany(spec: FieldSpec, through: () => AnyModel): ManyToManyField {
    const target = spec.target;
    if (target === undefined) throw new MigrationStateError('A many-to-many field spec needs a target.');
    return new ManyToManyField(() => this.get(target), {
      through,
      ...(spec.relatedName !== undefined ? { relatedName: spec.relatedName } : {}),
      ...(spec.dbTable !== undefined ? { dbTable: spec.dbTable } : {}),
    });
  }

  #installReverseRelations(models: readonly AnyModel[]): void {
    for (const source of models) {
      for (const field of [...source.meta.foreignKeys, ...source.meta.manyToMany]) {
        const name = field.relatedName;
        if (name === null) continue;
        const target = field.target;
        const relation = { name, model: source, field };
        target.meta.reverseRelations.push(relation);
        installReverseAccessor(target, relation);
      }
    }
  }
}

/**
 * The join model of an auto-created many-to-many field, named and shaped
 * exactly like relations/many-to-many.ts creates it for declared models
 * (label `<app>.<Model>_<field>`, table `<table>_<field>`, two CASCADE keys,
 * unique together) but not registered. `meta.autoCreatedFor` marks it, so
 * the schema editor creates and drops it with the model.
 */
function joinModel(field: ManyToManyField): AnyModel {
  const source = field.model;
  const target = field.target;
  const self = source.meta.label.toLowerCase() === target.meta.label.toLowerCase();
  const sourceName = self ? `from${source.meta.modelName}` : lowerFirst(source.meta.modelName);
  const targetName = self ? `to${target.meta.modelName}` : lowerFirst(target.meta.modelName);
  const joinFields = {
    [sourceName]: new ForeignKey(() => field.model, { onDelete: 'CASCADE', relatedName: '+' }),
    [targetName]: new ForeignKey(() => field.target, { onDelete: 'CASCADE', relatedName: '+' }),
  };
  const through = model(`${source.meta.appLabel}.${source.meta.modelName}_${field.name}` as `${string}.${string}`, joinFields, {
    table: field.m2m.dbTable ?? `${source.meta.table}_${field.column}`,
    uniqueTogether: [[sourceName, targetName]],
    database: source.meta.database,
    verboseName: `${source.meta.verboseName}-${target.meta.verboseName} relationship`,
    register: false,
  }) as AnyModel;
  (through.meta as { -readonly [K in keyof ModelMeta]: ModelMeta[K] }).autoCreatedFor = field;
  return through;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

