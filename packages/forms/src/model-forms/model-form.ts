import { ImproperlyConfigured, type HttpRequest } from '@atrium/core';
import { atomic, type AnyField, type AnyModel, type Instance } from '@atrium/orm';
import { pkOf } from '../data/queryset-source.js';
import { FormNotValidated } from '../errors.js';
import type { AnyFormField } from '../fields/form-field.js';
import { checkFieldNames } from '../form/field-names.js';
import { Form, type BindOptionsOf, type CleanedData, type FieldDeclarations, type FieldsOf, type FormInit, type FormOptions } from '../form/form.js';
import type { FormErrors } from '../form/form-errors.js';
import type { Messages } from '../messages.js';
import type { IssueInit } from '../validation/issue.js';
import { CheckboxInput } from '../widgets/checkbox-input.js';
import type { Widget } from '../widgets/widget.js';
import { formFieldFor } from './form-field-for.js';
import type { EditableFieldName, ModelFormFields } from './model-form-types.js';
import { uniqueFieldNames, uniqueIssues } from './unique-checks.js';

type Row = Record<string, unknown>;

/** Options of `modelForm()` besides the choice of fields. */
export interface ModelFormCommonOptions<K extends string, X extends FieldDeclarations> extends Omit<FormOptions<FieldDeclarations>, 'clean'> {
  /** Widgets for derived fields (`{ body: new Textarea({ attrs: { rows: 4 } }) }`). */
  widgets?: Partial<Record<K, Widget>>;
  labels?: Partial<Record<K, string>>;
  helpTexts?: Partial<Record<K, string>>;
  /** Message overrides per derived field. */
  fieldMessages?: Partial<Record<K, Messages>>;
  /** Fields declared by hand: replace derived ones of the same name, or add fields the model lacks. */
  formFields?: X;
  /** Zone of datetime inputs without an offset (default 'UTC'). */
  timeZone?: string;
}

/** `fields`: the model fields to edit, in order ('__all__' for every editable one); or `exclude` the others. */
export type ModelFormOptions<K extends string, X extends FieldDeclarations> = ModelFormCommonOptions<K, X> & ({ fields: readonly K[] | '__all__'; exclude?: undefined } | { exclude: readonly string[]; fields?: undefined });

export interface ModelFormInit<M extends AnyModel, F extends FieldDeclarations> extends FormInit<F> {
  /** The object to edit; a new one is built when absent. */
  instance?: Instance<M>;
}

/** What `modelForm()` returns: a ModelForm class, to instantiate, bind or subclass. */
export interface ModelFormClass<M extends AnyModel, F extends FieldDeclarations> {
  new (init?: ModelFormInit<M, F>): ModelForm<M, F>;
  readonly prototype: ModelForm<M, F>;
  readonly model: M;
  readonly declaredFields: FieldDeclarations;
  readonly formOptions: FormOptions<FieldDeclarations>;
  /** See Form.bind; pass `{ instance }` to edit an object. */
  bind<T extends Form, I extends FormInit<FieldsOf<T>> = FormInit<FieldsOf<T>>>(this: new (init?: I) => T, request: HttpRequest, options?: BindOptionsOf<I>): Promise<T>;
}

const attnameOf = (field: AnyField): string => (field.kind === 'foreignKey' || field.kind === 'oneToOne' ? `${field.name}Id` : field.name);
const isRelationToOne = (field: AnyField): boolean => field.kind === 'foreignKey' || field.kind === 'oneToOne';

/** Initial values of a form from an instance: column values (a foreign key as its key); many-to-many ones are loaded by prepare(). */
function initialFromInstance(model: AnyModel, instance: Row, names: readonly string[]): Row {
  const initial: Row = {};
  for (const name of names) {
    const field = model.meta.fieldMap.get(name);
    if (!field || field.kind === 'manyToMany' || field.name !== name) continue;
    const value = instance[attnameOf(field)];
    if (value !== undefined) initial[name] = value;
  }
  return initial;
}

/** An error the ORM's fullClean() raised: field name -> messages (checked by shape, not class). */
function ormValidationErrors(error: unknown): Readonly<Record<string, readonly string[]>> | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  return code === 'E_VALIDATION' && typeof errors === 'object' && errors !== null ? (errors as Record<string, readonly string[]>) : null;
}

/**
 * A form that edits a model instance (Django's ModelForm). Validation also
 * builds the instance from the cleaned data, checks uniqueness (as `unique`
 * and `unique_together` errors) and runs the model's own validation;
 * `save()` inserts or updates it and sets many-to-many relations, in one
 * transaction.
 * @example
 * const PostForm = modelForm(Post, { fields: ['title', 'body', 'author', 'tags'] });
 * const form = await PostForm.bind(request, { instance: post });
 * if (await form.isValid()) await form.save();
 */
export class ModelForm<M extends AnyModel = AnyModel, F extends FieldDeclarations = FieldDeclarations> extends Form<F> {
  /** The model (set by `modelForm()`). */
  static model: AnyModel;
  /** The object edited: the one given, or a new unsaved one. */
  readonly instance: Instance<M>;
  /** True when the form creates a new object. */
  readonly adding: boolean;
  #manyToManyLoaded = false;

  constructor(init: ModelFormInit<M, F> = {}) {
    const model = (new.target as unknown as typeof ModelForm).model;
    if (!model) throw new ImproperlyConfigured(`${new.target.name} has no model; declare it with modelForm(Model, { fields: [...] }).`);
    const instance = (init.instance ?? model.build({} as never)) as unknown as Row;
    const names = Object.keys((new.target as unknown as typeof ModelForm).declaredFields);
    super({ ...init, initial: { ...initialFromInstance(model, instance, names), ...init.initial } as FormInit<F>['initial'] });
    this.instance = instance as Instance<M>;
    this.adding = init.instance === undefined;
  }

  get model(): M {
    return (this.constructor as typeof ModelForm).model as M;
  }

  /** Model fields edited by this form (hand-declared extra fields are not). */
  #modelFields(): AnyField[] {
    const meta = this.model.meta;
    return Object.keys(this.declared)
      .map((name) => meta.fieldMap.get(name))
      // A generated key is never set from a form (inline formsets carry it in a hidden field to find the row).
      .filter((field): field is AnyField => field !== undefined && meta.fieldMap.get(field.name) === field && !field.isGenerated);
  }

  /** Load what rendering needs: choice lists, and the current many-to-many objects of an edited instance. */
  override async prepare(): Promise<this> {
    await super.prepare();
    if (!this.adding && !this.#manyToManyLoaded) {
      this.#manyToManyLoaded = true;
      const instance = this.instance as unknown as Row;
      for (const field of this.#modelFields().filter((f) => f.kind === 'manyToMany')) {
        if (Object.hasOwn(this.initial, field.name)) continue;
        const related = (await (instance[field.name] as { all(): PromiseLike<unknown[]> }).all()) as unknown[];
        (this.initial as Row)[field.name] = related;
      }
    }
    return this;
  }

  /** Copy the cleaned values onto the instance, check uniqueness and run the model's validation. */
  protected override async postClean(cleaned: Partial<CleanedData<F>>, errors: FormErrors): Promise<void> {
    const instance = this.instance as unknown as Row;
    const data = cleaned as Row;
    const inForm = new Set<string>();
    for (const field of this.#modelFields()) {
      if (field.kind === 'manyToMany') continue;
      inForm.add(field.name);
      if (!Object.hasOwn(data, field.name)) continue;
      const formField = this.declared[field.name] as AnyFormField;
      // Leave the model default for a field the data left out (a partial JSON body), except checkboxes: unchecked sends nothing.
      if (field.hasDefault() && !(formField.widget instanceof CheckboxInput) && formField.widget.valueOmittedFromData(this.boundInput, this.addPrefix(field.name))) continue;
      let value = data[field.name];
      // An empty optional field of a non-null column with a default takes the default.
      if (value === null && !field.isNullable && field.hasDefault()) value = field.getDefault();
      if (isRelationToOne(field)) instance[field.name] = value ?? null;
      else instance[attnameOf(field)] = value;
    }
    const failed = new Set(errors.fields());
    for (const { field, issue } of await uniqueIssues(this.model, instance, inForm, failed)) this.#addIssue(field, issue);
    // The model's own validation, for what the form did not check: fields outside the form, uniqueness (checked above) and failed fields are excluded.
    const exclude = this.model.meta.fields.map((field) => field.name).filter((name) => !inForm.has(name) || failed.has(name) || uniqueFieldNames(this.model).has(name) || this.hasError(name));
    try {
      await (instance as unknown as { fullClean(options: { exclude: readonly string[] }): Promise<void> }).fullClean({ exclude });
    } catch (error) {
      const found = ormValidationErrors(error);
      if (!found) throw error;
      for (const [name, messages] of Object.entries(found)) {
        const target = name !== '__all__' && Object.hasOwn(this.declared, name) ? name : null;
        for (const message of messages) this.#addIssue(target, { code: 'model_invalid', message });
      }
    }
  }

  #addIssue(field: string | null, issue: IssueInit): void {
    this.addError(field as (keyof F & string) | null, issue);
  }

  /**
   * Save the instance: insert (new) or update, then set the many-to-many
   * relations, in one transaction. With `commit: false` nothing is written:
   * adjust the returned instance, save it, then call `saveManyToMany()`.
   * Throws FormNotValidated / FormInvalid unless `await isValid()` returned true.
   */
  async save(options: { commit?: boolean } = {}): Promise<Instance<M>> {
    const name = this.constructor.name || 'ModelForm';
    if (!this.isBound) throw new FormNotValidated(name, false);
    void this.cleanedData; // throws FormNotValidated / FormInvalid
    if (options.commit === false) return this.instance;
    const instance = this.instance as unknown as { save(): Promise<void> };
    await atomic(
      async () => {
        await instance.save();
        await this.saveManyToMany();
      },
      { using: this.model.meta.database },
    );
    return this.instance;
  }

  /** Set the many-to-many relations from the cleaned data (after `save({ commit: false })` and saving the instance). */
  async saveManyToMany(): Promise<void> {
    const cleaned = this.cleanedData as Row;
    const instance = this.instance as unknown as Row;
    if (pkOf(instance) === undefined || pkOf(instance) === null) {
      throw new ImproperlyConfigured(`${this.constructor.name || 'ModelForm'}.saveManyToMany() needs a saved instance; call \`await form.instance.save()\` first.`);
    }
    for (const field of this.#modelFields().filter((f) => f.kind === 'manyToMany')) {
      if (!Object.hasOwn(cleaned, field.name)) continue;
      await (instance[field.name] as { set(objects: readonly unknown[]): Promise<void> }).set(cleaned[field.name] as unknown[]);
    }
  }
}

/** The editable model fields, in declaration order. */
function editableNames(model: AnyModel): string[] {
  return model.meta.fields.filter((field) => formFieldFor(field) !== null).map((field) => field.name);
}

/**
 * Declare a form for a model: one form field per chosen model field,
 * derived from it (type, max length, choices, required-ness, label, help
 * text; a foreign key as a select of the related objects, many-to-many as
 * a multiple select). Name the fields (or exclude some); the cleaned data
 * is typed from the model.
 * @example
 * const PostForm = modelForm(Post, {
 *   fields: ['title', 'body', 'author', 'tags'],
 *   widgets: { body: new Textarea({ attrs: { rows: 4 } }) },
 *   labels: { author: 'Written by' },
 * });
 */
export function modelForm<M extends AnyModel, const K extends EditableFieldName<M>, const X extends FieldDeclarations = {}>(
  model: M,
  options: ModelFormCommonOptions<K, X> & { fields: readonly K[]; exclude?: undefined },
): ModelFormClass<M, Omit<ModelFormFields<M, K>, keyof X> & X>;
export function modelForm<M extends AnyModel, const X extends FieldDeclarations = {}>(
  model: M,
  options: ModelFormCommonOptions<EditableFieldName<M>, X> & { fields: '__all__'; exclude?: undefined },
): ModelFormClass<M, Omit<ModelFormFields<M, EditableFieldName<M>>, keyof X> & X>;
export function modelForm<M extends AnyModel, const E extends EditableFieldName<M>, const X extends FieldDeclarations = {}>(
  model: M,
  options: ModelFormCommonOptions<Exclude<EditableFieldName<M>, E>, X> & { exclude: readonly E[]; fields?: undefined },
): ModelFormClass<M, Omit<ModelFormFields<M, Exclude<EditableFieldName<M>, E>>, keyof X> & X>;
export function modelForm(model: AnyModel, options: ModelFormOptions<string, FieldDeclarations>): ModelFormClass<AnyModel, FieldDeclarations> {
  const formLabel = `modelForm(${model.name})`;
  if (options.fields === undefined && options.exclude === undefined) {
    throw new ImproperlyConfigured(`${formLabel} needs 'fields' (a list, or '__all__') or 'exclude', so that new model fields are not exposed by accident.`);
  }
  const editable = editableNames(model);
  const known = new Set(model.meta.fields.map((field) => field.name));
  const extra = options.formFields ?? {};
  const check = (names: readonly string[], option: string): void => {
    for (const name of names) {
      if (!known.has(name) && !Object.hasOwn(extra, name)) {
        throw new ImproperlyConfigured(`${formLabel} ${option} names '${name}', which is not a field of ${model.name}. Fields: ${[...known].join(', ')}.`);
      }
    }
  };
  let names: string[];
  if (options.fields === '__all__') names = editable;
  else if (options.fields) {
    check(options.fields, 'fields');
    names = [...options.fields];
  } else {
    check(options.exclude!, 'exclude');
    names = editable.filter((name) => !options.exclude!.includes(name));
  }
  checkFieldNames([...names, ...Object.keys(extra)], formLabel);

  const declared: Record<string, AnyFormField> = {};
  for (const name of names) {
    if (Object.hasOwn(extra, name)) {
      declared[name] = extra[name]!;
      continue;
    }
    const field = model.meta.fieldMap.get(name)!;
    const derived = formFieldFor(field, {
      ...(options.widgets?.[name] ? { widget: options.widgets[name] } : {}),
      ...(options.labels?.[name] ? { label: options.labels[name] } : {}),
      ...(options.helpTexts?.[name] ? { helpText: options.helpTexts[name] } : {}),
      ...(options.fieldMessages?.[name] ? { messages: options.fieldMessages[name] } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    });
    if (!derived) {
      throw new ImproperlyConfigured(`${formLabel} lists '${name}', which is not editable in forms (editable: false, generated, binary or a through relation). Remove it from fields.`);
    }
    declared[name] = derived;
  }
  for (const [name, field] of Object.entries(extra)) if (!Object.hasOwn(declared, name)) declared[name] = field;
  const { fields: _fields, exclude: _exclude, widgets: _widgets, labels: _labels, helpTexts: _helpTexts, fieldMessages: _messages, formFields: _formFields, timeZone: _timeZone, ...formOptions } = options;

  const declaredForm = class extends ModelForm<AnyModel, FieldDeclarations> {
    static override model = model;
    static override declaredFields: FieldDeclarations = declared;
    static override formOptions = formOptions as FormOptions<FieldDeclarations>;
  };
  Object.defineProperty(declaredForm, 'name', { value: options.name ?? `${model.meta.modelName}Form` });
  return declaredForm as unknown as ModelFormClass<AnyModel, FieldDeclarations>;
}
