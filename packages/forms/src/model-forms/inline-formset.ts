import { ImproperlyConfigured, type HttpRequest } from '@atrium/core';
import { atomic, type AnyField, type AnyModel, type Instance } from '@atrium/orm';
import { filterBy, orderedBy, pkOf, pkText, querySetOf } from '../data/queryset-source.js';
import { readRequestData } from '../data/read-request.js';
import { FormInvalid, FormNotValidated } from '../errors.js';
import { ChoiceField } from '../fields/choice-field.js';
import type { FieldDeclarations, FieldsOf } from '../form/form.js';
import { Formset, type FormOf, type FormsetInit, type FormsetOptions } from '../formsets/formset.js';
import { HiddenInput } from '../widgets/input.js';
import type { EditableFieldName, ModelFormFields } from './model-form-types.js';
import { modelForm, type ModelForm, type ModelFormCommonOptions, type ModelFormInit } from './model-form.js';

type Row = Record<string, unknown>;

export interface InlineFormsetInit<P extends AnyModel, T extends ModelForm> extends Omit<FormsetInit<T>, 'initial'> {
  /** The parent object whose children are edited (unsaved on an "add" page). */
  instance: Instance<P>;
  /** The existing children, in order (loaded by `forInstance()` and `bind()`). */
  objects?: ReadonlyArray<ModelInstanceOf<T>>;
}

/** The instance type a model form edits. */
export type ModelInstanceOf<T> = T extends ModelForm<infer M, FieldDeclarations> ? Instance<M> : never;

/** What `inlineFormset()` returns. */
export interface InlineFormsetClass<P extends AnyModel, T extends ModelForm> {
  new (init: InlineFormsetInit<P, T>): InlineFormset<P, T>;
  readonly prototype: InlineFormset<P, T>;
  /** An inline formset of the parent's current children (unbound). */
  forInstance(instance: Instance<P>, init?: Omit<InlineFormsetInit<P, T>, 'instance' | 'objects'>): Promise<InlineFormset<P, T>>;
  /** Bound to the request's body (unbound for GET), with the parent's current children. */
  bind(request: HttpRequest, init: Omit<InlineFormsetInit<P, T>, 'data' | 'files' | 'request' | 'objects'>): Promise<InlineFormset<P, T>>;
}

/**
 * Edit a parent's children on the parent's page (Django's inline formsets,
 * used by the admin's inlines): one model form per existing child (found
 * again by the key in a hidden field, never by position), extra forms for
 * new ones, DELETE boxes; `save()` writes it all in one transaction, with
 * the foreign key pointing at the parent.
 * @example
 * const Comments = inlineFormset(Post, Comment, { fields: ['text'], extra: 2, canDelete: true });
 * const comments = await Comments.bind(request, { instance: post });
 * if (await comments.isValid()) await comments.save();
 */
export class InlineFormset<P extends AnyModel = AnyModel, T extends ModelForm = ModelForm> extends Formset<T> {
  static parentModel: AnyModel;
  static childModel: AnyModel;
  /** The child's foreign key to the parent. */
  static fk: AnyField;

  readonly instance: Instance<P>;
  readonly objects: ReadonlyArray<ModelInstanceOf<T>>;
  readonly #byKey: Map<string, ModelInstanceOf<T>>;
  /** Filled by save(). */
  newObjects: Array<ModelInstanceOf<T>> = [];
  changedObjects: Array<ModelInstanceOf<T>> = [];
  deletedObjects: Array<ModelInstanceOf<T>> = [];

  constructor(init: InlineFormsetInit<P, T>) {
    const objects = init.objects ?? [];
    const cls = new.target as unknown as typeof InlineFormset;
    super({ ...init, prefix: init.prefix ?? defaultPrefix(cls.fk), initial: objects.map(() => ({})) });
    this.instance = init.instance;
    this.objects = objects;
    this.#byKey = new Map(objects.map((object) => [pkText(pkOf(object)) ?? '', object]));
  }

  /** The existing children of `parent`, by the child model's ordering (else by key). */
  static async children(this: typeof InlineFormset, parent: unknown): Promise<unknown[]> {
    const key = pkOf(parent);
    if (key === undefined || key === null) return [];
    const child = this.childModel;
    const qs = filterBy(querySetOf(child as never), { [`${this.fk.name}Id`]: key });
    return child.meta.ordering.length > 0 ? qs : orderedBy(qs, child.meta.pk.name);
  }

  static async forInstance(this: typeof InlineFormset, instance: unknown, init: Row = {}): Promise<InlineFormset> {
    const objects = await this.children(instance);
    return new this({ ...init, instance, objects } as never);
  }

  static override async bind<S extends Formset>(this: new (init?: FormsetInit<FormOf<S>>) => S, request: HttpRequest, init: Omit<FormsetInit<FormOf<S>>, 'data' | 'files' | 'request'> = {}): Promise<S> {
    const cls = this as unknown as typeof InlineFormset;
    const options = init as Row;
    const objects = await cls.children(options['instance']);
    if (['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(request.method)) return new cls({ ...options, objects, request } as never) as unknown as S;
    const { data, files } = await readRequestData(request);
    return new cls({ ...options, objects, data, files, request } as never) as unknown as S;
  }

  get #cls(): typeof InlineFormset {
    return this.constructor as typeof InlineFormset;
  }

  get #pkName(): string {
    return this.#cls.childModel.meta.pk.name;
  }

  /** The existing child an initial form edits: by the key the form sent back (bound), else by position. */
  #objectAt(index: number): ModelInstanceOf<T> | undefined {
    if (!this.isBound) return this.objects[index];
    const sent = this.boundInput.value(`${this.prefix}-${index}-${this.#pkName}`);
    return typeof sent === 'string' || typeof sent === 'number' ? this.#byKey.get(String(sent).trim()) : undefined;
  }

  protected override formInit(index: number | null): Partial<ModelFormInit<AnyModel, FieldsOf<T>>> {
    if (index !== null && index < this.initialFormCount()) {
      const object = this.#objectAt(index);
      if (object) return { instance: object as never };
    }
    const child = this.#cls.childModel;
    const key = pkOf(this.instance);
    return { instance: child.build((key === undefined || key === null ? {} : { [`${this.#cls.fk.name}Id`]: key }) as never) as never };
  }

  /** Initial forms carry the child's key in a hidden field, checked against the parent's children. */
  protected override addFields(form: T, index: number | null): void {
    super.addFields(form, index);
    if (index === null || index >= this.initialFormCount()) return;
    const keys = [...this.#byKey.keys()];
    (form.declared as Row)[this.#pkName] = new ChoiceField(keys, { widget: new HiddenInput(), required: true, emptyLabel: null, initial: pkText(pkOf(this.objects[index])) ?? '' });
  }

  /**
   * Write the changes in one transaction: changed children updated, filled
   * extra forms created (pointing at the parent, which must be saved by
   * then), deleted ones deleted. Returns the created and updated children.
   */
  async save(): Promise<Array<ModelInstanceOf<T>>> {
    const name = this.constructor.name || 'InlineFormset';
    if (!this.isBound) throw new FormNotValidated(name, false);
    if (!(await this.isValid())) throw new FormInvalid(name, ['(inline formset)']);
    const key = pkOf(this.instance);
    if (key === undefined || key === null) {
      throw new ImproperlyConfigured(`${name}.save() needs a saved parent; save the ${this.#cls.parentModel.meta.modelName} first, then the inline formset.`);
    }
    this.newObjects = [];
    this.changedObjects = [];
    this.deletedObjects = [];
    const deleted = new Set(this.deletedForms);
    await atomic(
      async () => {
        for (const [index, form] of this.forms.entries()) {
          const object = form.instance as unknown as ModelInstanceOf<T>;
          if (deleted.has(form)) {
            // Only a row that exists is deleted: an extra form's instance was built, never saved (its `adding` is false too).
            if (index < this.initialFormCount()) {
              await (object as unknown as { delete(): Promise<void> }).delete();
              this.deletedObjects.push(object);
            }
            continue;
          }
          if (!form.hasChanged()) continue;
          (object as unknown as Row)[`${this.#cls.fk.name}Id`] = key;
          await form.save();
          (index < this.initialFormCount() ? this.changedObjects : this.newObjects).push(object);
        }
      },
      { using: this.#cls.childModel.meta.database },
    );
    return [...this.changedObjects, ...this.newObjects];
  }
}

function defaultPrefix(fk: AnyField): string {
  const related = (fk as AnyField & { relatedName: string | null }).relatedName;
  return related ?? `${fk.model.meta.modelName.toLowerCase()}_set`;
}

/** The foreign key of `child` to `parent`: the named one, or the only one. */
function findForeignKey(parent: AnyModel, child: AnyModel, name: string | undefined): AnyField {
  const candidates = child.meta.fields.filter(
    (field) => (field.kind === 'foreignKey' || field.kind === 'oneToOne') && (field as AnyField & { target: AnyModel }).target === parent,
  );
  if (name !== undefined) {
    const found = candidates.find((field) => field.name === name);
    if (!found) throw new ImproperlyConfigured(`inlineFormset(${parent.name}, ${child.name}): '${name}' is not a foreign key of ${child.name} to ${parent.name}; candidates: ${candidates.map((f) => f.name).join(', ') || 'none'}.`);
    return found;
  }
  if (candidates.length !== 1) {
    throw new ImproperlyConfigured(
      candidates.length === 0
        ? `inlineFormset(${parent.name}, ${child.name}): ${child.name} has no foreign key to ${parent.name}.`
        : `inlineFormset(${parent.name}, ${child.name}): ${child.name} has several foreign keys to ${parent.name} (${candidates.map((f) => f.name).join(', ')}); pass { fk: '<name>' }.`,
    );
  }
  return candidates[0]!;
}

/** Options of `inlineFormset()`: the formset's and the child model form's, and `fk` when the child has several keys to the parent. */
export type InlineFormsetOptions<K extends string, X extends FieldDeclarations> = FormsetOptions &
  ModelFormCommonOptions<K, X> & { fk?: string } & ({ fields: readonly K[]; exclude?: undefined } | { exclude?: readonly string[]; fields?: undefined });

/**
 * Declare an inline formset editing the `child` rows of a `parent`.
 * Without `fields`, every editable child field but the foreign key is edited.
 * @example const Comments = inlineFormset(Post, Comment, { fields: ['text', 'score'], extra: 1, canDelete: true });
 */
export function inlineFormset<P extends AnyModel, C extends AnyModel, const K extends EditableFieldName<C>, const X extends FieldDeclarations = {}>(
  parent: P,
  child: C,
  options: InlineFormsetOptions<K, X> & { fields: readonly K[] },
): InlineFormsetClass<P, ModelForm<C, Omit<ModelFormFields<C, K>, keyof X> & X>>;
export function inlineFormset<P extends AnyModel, C extends AnyModel, const X extends FieldDeclarations = {}>(
  parent: P,
  child: C,
  options?: InlineFormsetOptions<EditableFieldName<C>, X>,
): InlineFormsetClass<P, ModelForm<C, FieldDeclarations>>;
export function inlineFormset(parent: AnyModel, child: AnyModel, options: InlineFormsetOptions<string, FieldDeclarations> = {}): InlineFormsetClass<AnyModel, ModelForm> {
  const fk = findForeignKey(parent, child, options.fk);
  const { fk: _fk, extra, min, max, absoluteMax, canDelete, canDeleteExtra, canOrder, messages, templateName, ...formOptions } = options;
  const fieldChoice = formOptions.fields ? { fields: formOptions.fields.filter((name) => name !== fk.name) } : { exclude: [...(formOptions.exclude ?? []), fk.name] };
  const ChildForm = modelForm(child, { ...formOptions, ...fieldChoice } as never) as unknown as new () => ModelForm;
  const formsetOptions: FormsetOptions = {
    extra: extra ?? 3,
    canDelete: canDelete ?? true,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(absoluteMax !== undefined ? { absoluteMax } : {}),
    ...(canDeleteExtra !== undefined ? { canDeleteExtra } : {}),
    ...(canOrder !== undefined ? { canOrder } : {}),
    ...(messages ? { messages } : {}),
    ...(templateName ? { templateName } : {}),
  };
  const declared = class extends InlineFormset {
    static override formClass = ChildForm as never;
    static override formsetOptions = formsetOptions;
    static override parentModel = parent;
    static override childModel = child;
    static override fk = fk;
  };
  Object.defineProperty(declared, 'name', { value: `${child.meta.modelName}InlineFormset` });
  return declared as unknown as InlineFormsetClass<AnyModel, ModelForm>;
}
