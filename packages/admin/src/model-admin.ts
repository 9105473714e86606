import type { HttpRequest } from '@atrium/core';
import { formFieldFor, modelForm, type AnyFormField, type ModelFormClass } from '@atrium/forms';
import { autocompleteFormField } from './autocomplete.js';
import type { AnyField, AnyModel, Instance, QuerySet } from '@atrium/orm';
import { AdminOptionError } from './errors.js';
import type { AdminAction, ListColumn, ModelAdminOptions } from './model-admin-options.js';
import { userOf } from './user-of.js';

export type AdminPermission = 'view' | 'add' | 'change' | 'delete';

/** A changelist column, resolved: a field path or a computed value. */
export interface ResolvedColumn {
  readonly name: string;
  readonly label: string;
  /** The ordering key when the column is sortable (a column field or a path through foreign keys). */
  readonly orderKey: string | null;
  readonly value: (obj: Record<string, unknown>) => unknown;
  /** The model field shown, for choice labels and boolean rendering. */
  readonly field: AnyField | null;
}

type Row = Record<string, unknown>;

/**
 * A registered model's admin: its options, checked against the model at
 * registration, and the per-request hooks (permissions, queryset, form)
 * with their defaults.
 */
export class ModelAdmin<M extends AnyModel = AnyModel> {
  readonly model: M;
  readonly options: ModelAdminOptions<M>;
  readonly columns: readonly ResolvedColumn[];
  readonly listPerPage: number;
  /** The listEditable fields, checked: columns of listDisplay, editable, not links and not read-only. */
  readonly listEditable: readonly string[];

  constructor(model: M, options: ModelAdminOptions<M> = {}) {
    this.model = model;
    this.options = options;
    this.listPerPage = options.listPerPage ?? 100;
    if (!Number.isInteger(this.listPerPage) || this.listPerPage < 1) throw new AdminOptionError(`listPerPage of the ${model.meta.label} admin must be a positive integer, got ${String(options.listPerPage)}.`);
    for (const name of [...(options.listFilter ?? []), ...(options.readonlyFields ?? []), ...(options.fields ?? []), ...(options.exclude ?? []), ...(options.fieldsets ?? []).flatMap(([, set]) => set.fields)]) {
      this.fieldOf(name);
    }
    for (const entry of options.searchFields ?? []) this.pathFields(entry.replace(/^[\^=]/, ''));
    this.listEditable = [...(options.listEditable ?? [])];
    const columnNames = (options.listDisplay ?? []).map((entry) => (typeof entry === 'string' ? (entry as string) : entry.name));
    const displayed = (options.listDisplay ?? []).filter((entry) => typeof entry === 'string') as unknown as string[];
    const linked = new Set<string>(options.listDisplayLinks ?? columnNames.slice(0, 1));
    for (const name of this.listEditable) {
      const field = this.fieldOf(name);
      const problem = !displayed.includes(name) ? 'is not a column of listDisplay' : linked.has(name) ? 'is the link to the change page (listDisplayLinks)' : (options.readonlyFields ?? []).includes(name as never) ? 'is in readonlyFields' : !field.isEditable || field.kind === 'manyToMany' ? 'cannot be edited in a list' : null;
      if (problem) throw new AdminOptionError(`listEditable of the ${model.meta.label} admin names '${name}', which ${problem}.`);
    }
    if (options.dateHierarchy !== undefined) {
      const kind = this.fieldOf(options.dateHierarchy).kind;
      if (kind !== 'date' && kind !== 'datetime') throw new AdminOptionError(`dateHierarchy of the ${model.meta.label} admin must name a date or datetime field; '${options.dateHierarchy}' is a ${kind} field.`);
    }
    for (const view of options.objectViews ?? []) {
      if (!/^[A-Za-z0-9_-]{1,50}$/.test(view.name) || ['change', 'delete', 'history'].includes(view.name)) throw new AdminOptionError(`The object view '${view.name}' of the ${model.meta.label} admin needs a name of letters, digits, '-' and '_', other than change, delete and history.`);
    }
    for (const inline of options.inlines ?? []) inline.checkParent(model as AnyModel);
    for (const name of options.autocompleteFields ?? []) {
      const kind = this.fieldOf(name).kind;
      if (kind !== 'foreignKey' && kind !== 'oneToOne' && kind !== 'manyToMany') throw new AdminOptionError(`autocompleteFields of the ${model.meta.label} admin names '${name}', which is a ${kind} field; only foreign key and many-to-many fields can be autocompleted.`);
    }
    for (const [target, sources] of Object.entries(options.prepopulatedFields ?? {}) as Array<[string, readonly string[]]>) {
      const kind = this.fieldOf(target).kind;
      if (kind === 'foreignKey' || kind === 'oneToOne' || kind === 'manyToMany' || kind === 'datetime' || kind === 'date') throw new AdminOptionError(`prepopulatedFields of the ${model.meta.label} admin cannot fill '${target}' (a ${kind} field); use a text or slug field.`);
      if (!Array.isArray(sources) || sources.length === 0) throw new AdminOptionError(`prepopulatedFields.${target} of the ${model.meta.label} admin must list the fields it is filled from, e.g. { ${target}: ['title'] }.`);
      for (const source of sources) this.fieldOf(source);
    }
    this.columns = (options.listDisplay ?? []).map((entry) => this.resolveColumn(entry));
  }

  /** 'blog' of blog.Post. */
  get appLabel(): string {
    return this.model.meta.appLabel;
  }

  /** The URL segment of the model: 'post'. */
  get urlName(): string {
    return this.model.meta.modelName.toLowerCase();
  }

  /** A field of the model by name, or an AdminOptionError naming the option fix. */
  fieldOf(name: string): AnyField {
    const field = this.model.meta.fieldMap.get(name);
    if (!field) {
      const known = this.model.meta.fields.map((f) => f.name).join(', ');
      throw new AdminOptionError(`Unknown field '${name}' in the admin options of ${this.model.meta.label}; its fields are: ${known}.`);
    }
    return field;
  }

  /** The fields along a dotted path ('author.name'): each but the last must be a foreign key. */
  pathFields(path: string): AnyField[] {
    const fields: AnyField[] = [];
    let current: AnyModel = this.model;
    const parts = path.split('.');
    for (const [index, part] of parts.entries()) {
      const field = current.meta.fieldMap.get(part);
      if (!field) throw new AdminOptionError(`Unknown field '${part}' in '${path}' in the admin options of ${this.model.meta.label}.`);
      fields.push(field);
      if (index < parts.length - 1) {
        if (field.kind !== 'foreignKey' && field.kind !== 'oneToOne') throw new AdminOptionError(`'${part}' in '${path}' (admin options of ${this.model.meta.label}) is not a foreign key, so '.' cannot follow it.`);
        current = (field as unknown as { target: AnyModel }).target;
      }
    }
    return fields;
  }

  private resolveColumn(entry: string | ListColumn<M>): ResolvedColumn {
    if (typeof entry !== 'string') {
      return { name: entry.name, label: entry.label ?? entry.name, orderKey: null, field: null, value: (obj) => entry.value(obj as Instance<M>) };
    }
    const fields = this.pathFields(entry);
    const last = fields[fields.length - 1]!;
    const parts = entry.split('.');
    const sortable = last.kind !== 'manyToMany';
    return {
      name: entry,
      label: fields.length > 1 ? `${fields.slice(0, -1).map((f) => f.verboseName).join(' ')} ${last.verboseName}` : last.verboseName,
      orderKey: sortable ? entry : null,
      field: last,
      value: (obj) => {
        let current: unknown = obj;
        for (const part of parts) {
          if (current === null || current === undefined) return null;
          current = (current as Row)[part];
        }
        return current;
      },
    };
  }

  /** Foreign keys the changelist follows, so related columns cost no extra query per row. */
  get relatedPaths(): string[] {
    const paths = new Set<string>();
    for (const column of this.columns) {
      if (column.field === null) continue;
      const parts = column.name.split('.');
      if (parts.length > 1) paths.add(parts.slice(0, -1).join('.'));
      else if (column.field.kind === 'foreignKey' || column.field.kind === 'oneToOne') paths.add(column.name);
    }
    return [...paths];
  }

  /** The text of an object. */
  str(obj: Instance<M>): string {
    if (this.options.str) return this.options.str(obj);
    const text = String(obj);
    if (text !== '[object Object]' && !text.startsWith('[object ')) return text;
    return `${this.model.meta.verboseName} object (${String((obj as Row)[this.model.meta.pk.name])})`;
  }

  /** 'blog.change_post'. */
  permissionName(action: AdminPermission): string {
    return `${this.appLabel}.${action}_${this.urlName}`;
  }

  /** Whether the request's user may do `action` (options hooks first; else the user's permissions, superusers hold all). */
  async hasPermission(request: HttpRequest, action: AdminPermission, obj?: Instance<M>): Promise<boolean> {
    const hook = { view: this.options.hasViewPermission, add: this.options.hasAddPermission, change: this.options.hasChangePermission, delete: this.options.hasDeletePermission }[action];
    if (hook) return hook(request, obj);
    const user = userOf(request);
    if (!user.isActive) return false;
    if (user.isSuperuser) return true;
    if (await user.hasPerm(this.permissionName(action))) return true;
    // Like Django, change permission implies view.
    return action === 'view' ? Boolean(await user.hasPerm(this.permissionName('change'))) : false;
  }

  /** The view/add/change/delete permissions of the request's user, at once. */
  async permissions(request: HttpRequest, obj?: Instance<M>): Promise<Record<AdminPermission, boolean>> {
    const [view, add, change, del] = await Promise.all((['view', 'add', 'change', 'delete'] as const).map((action) => this.hasPermission(request, action, obj)));
    return { view: view!, add: add!, change: change!, delete: del! };
  }

  /** The objects this request may see in the admin. */
  getQueryset(request: HttpRequest): QuerySet<M> {
    const all = (this.model.objects as unknown as { all(): QuerySet<M> }).all();
    return this.options.getQueryset ? this.options.getQueryset(request, all) : all;
  }

  /** The model fields the change form shows, in order. */
  formFieldNames(): string[] {
    const excluded = new Set<string>(this.options.exclude ?? []);
    const listed = this.options.fieldsets ? this.options.fieldsets.flatMap(([, set]) => set.fields) : this.options.fields;
    const names = listed
      ? [...listed]
      : this.model.meta.fields.filter((field) => field.isEditable && !field.isGenerated && !(field.options as { autoNowAdd?: boolean; autoNow?: boolean }).autoNowAdd && !(field.options as { autoNow?: boolean }).autoNow).map((field) => field.name);
    return names.filter((name) => !excluded.has(name));
  }

  /** The fields shown read-only: readonlyFields, or all of them for a user who may only view. */
  readonlyNames(canChange: boolean): Set<string> {
    return new Set(canChange ? (this.options.readonlyFields ?? []) : this.formFieldNames());
  }

  /** Fieldsets of the change form: the declared ones or one untitled set. */
  fieldsets(): Array<{ title: string | null; description: string | null; fields: string[] }> {
    if (this.options.fieldsets) return this.options.fieldsets.map(([title, set]) => ({ title, description: set.description ?? null, fields: [...set.fields] }));
    return [{ title: null, description: null, fields: this.formFieldNames() }];
  }

  /**
   * The form class for this request: editable fields minus read-only ones,
   * autocomplete fields as search inputs asking `autocompleteUrl(field)`, through getForm().
   */
  async getForm(request: HttpRequest, obj: Instance<M> | null, readonly: ReadonlySet<string>, autocompleteUrl?: (field: string) => string): Promise<ModelFormClass<M, never>> {
    const fields = this.formFieldNames().filter((name) => !readonly.has(name));
    const formFields: Record<string, AnyFormField> = {};
    for (const name of this.options.autocompleteFields ?? []) {
      const field = this.fieldOf(name);
      const derived = formFieldFor(field);
      if (!fields.includes(name) || !derived || !autocompleteUrl) continue;
      formFields[name] = autocompleteFormField(field, derived, autocompleteUrl(name));
    }
    const defaultForm = modelForm(this.model as AnyModel, { fields, formFields } as never) as unknown as ModelFormClass<M, never>;
    return this.options.getForm ? this.options.getForm(request, obj, defaultForm) : defaultForm;
  }

  /** The custom actions of the options. */
  get actions(): ReadonlyArray<AdminAction<M>> {
    return this.options.actions ?? [];
  }
}
