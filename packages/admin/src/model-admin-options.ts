import type { HttpRequest, HttpResponse } from '@atrium/core';
import type { ModelFormClass } from '@atrium/forms';
import type { AnyModel, Instance, Model, QuerySet } from '@atrium/orm';
import type { AdminSite } from './admin-site.js';
import type { ModelAdmin } from './model-admin.js';
import type { InlineAdmin } from './inline-admin.js';

/** The field names of a model (a string for an untyped model). */
export type FieldName<M> = M extends { readonly fields: infer F } ? keyof F & string : string;

/** A field, or a field reached through a foreign key (`'author.name'`). */
export type FieldPathOf<M> = FieldName<M> | `${FieldName<M>}.${string}`;

/** A computed changelist column. */
export interface ListColumn<M extends AnyModel> {
  /** Column key, also used by listDisplayLinks. */
  name: string;
  /** Header text (default: the name). */
  label?: string;
  /** The cell value; escaped unless it is a SafeHtml from markSafe(). */
  value: (obj: Instance<M>) => unknown;
}

/** A bulk action offered in the changelist's action bar. */
export interface AdminAction<M extends AnyModel> {
  /** The form value (`delete_selected`). */
  name: string;
  /** What the action bar shows. */
  label: string;
  /** The permission the user needs on the model (default 'change'). */
  permission?: 'view' | 'add' | 'change' | 'delete';
  /** Run on the selected objects; return a response to show, or nothing to go back to the changelist. */
  run(request: HttpRequest, queryset: QuerySet<M>, context: { count: number }): Promise<HttpResponse | string | void> | HttpResponse | string | void;
}

/** A fieldset of the change form: a title (or null) and its fields. */
export type Fieldset<M> = readonly [title: string | null, options: { fields: ReadonlyArray<FieldName<M>>; description?: string; classes?: readonly string[] }];

/**
 * An extra page about one object, at `<id>/<name>/` (the User admin's
 * password page), linked from the change form for users holding `permission`.
 */
export interface AdminObjectView<M extends AnyModel> {
  /** The URL segment: letters, digits, '-' and '_' (not change, delete or history). */
  name: string;
  /** The link text on the change form. */
  label: string;
  /** The permission on the object the page needs (checked before `view` runs). */
  permission: 'view' | 'add' | 'change' | 'delete';
  view(site: AdminSite, admin: ModelAdmin<M>, request: HttpRequest, obj: Instance<M>): Promise<HttpResponse>;
}

export type PermissionHook<M extends AnyModel> = (request: HttpRequest, obj?: Instance<M>) => boolean | Promise<boolean>;

/** Options of `admin.register(Model, options)`; every one is optional. */
export interface ModelAdminOptions<M extends AnyModel> {
  /** Changelist columns: fields, related fields ('author.name'), computed columns. Default: the object's text. */
  listDisplay?: ReadonlyArray<FieldPathOf<M> | ListColumn<M>>;
  /** Columns that link to the change page (default: the first). */
  listDisplayLinks?: readonly string[];
  /** Sidebar filters: boolean, choices/enum, date and foreign key fields. */
  listFilter?: ReadonlyArray<FieldName<M>>;
  /** Fields edited in place in the changelist (columns of listDisplay, not its link column); saving needs the change permission. */
  listEditable?: ReadonlyArray<FieldName<M>>;
  /** A date or datetime field to drill down by year, month and day above the list (`?publishedOn__year=2026&publishedOn__month=3`). */
  dateHierarchy?: FieldName<M>;
  /** Searched fields: '^title' starts with, '=slug' exact, 'title' contains; OR across fields, AND across words. */
  searchFields?: ReadonlyArray<FieldPathOf<M> | `^${FieldPathOf<M>}` | `=${FieldPathOf<M>}`>;
  /** Default ordering ('-publishedAt'); else the model's, else '-pk'. */
  ordering?: ReadonlyArray<FieldPathOf<M> | `-${FieldPathOf<M>}`>;
  /** False skips counting every row when a search or filter is on (a second count on a huge table); default true. */
  showFullResultCount?: boolean;
  /** Rows per changelist page (default 100). */
  listPerPage?: number;
  /** Foreign key and many-to-many fields picked with a search box instead of a select of every object; the target model must be registered with searchFields. */
  autocompleteFields?: ReadonlyArray<FieldName<M>>;
  /** Fields filled from others as you type on the add form: `{ slug: ['title'] }` (slugified by the admin's script). */
  prepopulatedFields?: Partial<Record<FieldName<M>, ReadonlyArray<FieldName<M>>>>;
  /** Offer "Save as new" on the change form: it saves the form (and its inline rows) as a new object. */
  saveAs?: boolean;
  /** Also show the save buttons above the form. */
  saveOnTop?: boolean;
  /** Fields shown but not editable on the change form. */
  readonlyFields?: ReadonlyArray<FieldName<M>>;
  /** Fields on the change form, in order (default: every editable field). */
  fields?: ReadonlyArray<FieldName<M>>;
  /** Grouped fields; overrides `fields`. */
  fieldsets?: ReadonlyArray<Fieldset<M>>;
  /** Fields left off the change form. */
  exclude?: ReadonlyArray<FieldName<M>>;
  /** Child models edited on the change form: `new TabularInline({ model: Comment })` or `new StackedInline({...})`. */
  inlines?: ReadonlyArray<InlineAdmin<AnyModel>>;
  /** Extra bulk actions (the delete action is always offered to users who may delete). */
  actions?: ReadonlyArray<AdminAction<M>>;
  /** The text of an object (default: its toString(), else '<Model> object (<pk>)'). */
  str?: (obj: Instance<M>) => string;
  /** The objects the admin may see for this request. */
  getQueryset?: (request: HttpRequest, queryset: QuerySet<M>) => QuerySet<M>;
  /** The form class for this request (obj is null when adding). */
  getForm?: (request: HttpRequest, obj: Instance<M> | null, defaultForm: ModelFormClass<M, never>) => ModelFormClass<M, never> | Promise<ModelFormClass<M, never>>;
  /** Replace the add page (the User admin asks for a username and a password twice); the add permission is checked first. */
  addView?: (site: AdminSite, admin: ModelAdmin<M>, request: HttpRequest) => Promise<HttpResponse>;
  /** Extra pages about one object, at `<id>/<name>/`. */
  objectViews?: ReadonlyArray<AdminObjectView<M>>;
  hasViewPermission?: PermissionHook<M>;
  hasAddPermission?: PermissionHook<M>;
  hasChangePermission?: PermissionHook<M>;
  hasDeletePermission?: PermissionHook<M>;
}
