import type { HttpRequest } from '@atrium/core';
import { inlineFormset, type InlineFormsetClass, type ModelForm } from '@atrium/forms';
import type { AnyModel, Instance, QuerySet } from '@atrium/orm';
import { AdminOptionError } from './errors.js';
import type { FieldName } from './model-admin-options.js';
import { ModelAdmin } from './model-admin.js';

/** A permission hook of an inline: `parent` is the object of the change form (null on the add page). */
export type InlinePermissionHook = (request: HttpRequest, parent?: Instance<AnyModel>) => boolean | Promise<boolean>;

/** Options of `new TabularInline({...})` and `new StackedInline({...})`; only `model` is required. */
export interface InlineOptions<C extends AnyModel> {
  /** The child model edited on the parent's page (it has a foreign key to the parent). */
  model: C;
  /** The child's foreign key to the parent, when it has several. */
  fkName?: FieldName<C>;
  /** The child fields of each row, in order (default: every editable field but the foreign key). */
  fields?: ReadonlyArray<FieldName<C>>;
  /** Child fields shown as text, never taken from the form. */
  readonlyFields?: ReadonlyArray<FieldName<C>>;
  /** Empty rows offered for new children (default 3); the admin's script adds more. */
  extra?: number;
  /** Fewest rows that must be kept (validated). */
  minNum?: number;
  /** Most rows (validated; the "add another" button stops there). */
  maxNum?: number;
  /** Offer a delete box per row (default true; also needs the delete permission on the child model). */
  canDelete?: boolean;
  /** Heading of the group (default: the child's verbose plural name). */
  verboseNamePlural?: string;
  /** The text of a child row (default: its toString(), else '<model> object (<pk>)'). */
  str?: (obj: Instance<C>) => string;
  /** The children shown for this request (rows outside it are neither shown nor editable). */
  getQueryset?: (request: HttpRequest, queryset: QuerySet<C>) => QuerySet<C>;
  hasViewPermission?: InlinePermissionHook;
  hasAddPermission?: InlinePermissionHook;
  hasChangePermission?: InlinePermissionHook;
  hasDeletePermission?: InlinePermissionHook;
}

/** How the rows of an inline are laid out on the change form. */
export type InlineStyle = 'tabular' | 'stacked';

/**
 * Rows of a child model edited on its parent's change form (Django's
 * InlineModelAdmin), built on the inline formsets of @atrium/forms. Use
 * TabularInline (one table row per child) or StackedInline (one block per
 * child) in the parent's `inlines` option.
 */
export abstract class InlineAdmin<C extends AnyModel = AnyModel> {
  abstract readonly style: InlineStyle;
  readonly model: C;
  readonly options: InlineOptions<C>;
  /** The child model's admin logic (permissions, queryset, field checks, text), from the inline's options. */
  readonly admin: ModelAdmin<C>;

  constructor(options: InlineOptions<C>) {
    this.model = options.model;
    this.options = options;
    const { hasViewPermission, hasAddPermission, hasChangePermission, hasDeletePermission, getQueryset, str, fields, readonlyFields } = options;
    this.admin = new ModelAdmin(options.model, {
      ...(fields ? { fields } : {}),
      ...(readonlyFields ? { readonlyFields } : {}),
      ...(str ? { str } : {}),
      ...(getQueryset ? { getQueryset } : {}),
      ...(hasViewPermission ? { hasViewPermission } : {}),
      ...(hasAddPermission ? { hasAddPermission } : {}),
      ...(hasChangePermission ? { hasChangePermission } : {}),
      ...(hasDeletePermission ? { hasDeletePermission } : {}),
    } as never);
    for (const [name, value] of [['extra', options.extra], ['minNum', options.minNum], ['maxNum', options.maxNum]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new AdminOptionError(`${name} of the ${options.model.meta.label} inline must be a non-negative integer, got ${String(value)}.`);
    }
  }

  /** Check the inline against its parent at registration: the foreign key must exist (and be named when there are several). */
  checkParent(parent: AnyModel): void {
    try {
      this.baseFormset(parent);
    } catch (error) {
      throw new AdminOptionError(`The ${this.model.meta.label} inline of ${parent.meta.label}: ${(error as Error).message}`);
    }
  }

  /** The field names of each row (minus the foreign key to the parent). */
  fieldNames(parent: AnyModel): string[] {
    const fk = this.foreignKeyName(parent);
    return this.admin.formFieldNames().filter((name) => name !== fk);
  }

  /** The name of the child's foreign key to `parent`. */
  foreignKeyName(parent: AnyModel): string {
    return (this.baseFormset(parent) as unknown as { fk: { name: string } }).fk.name;
  }

  /** 'comments' of blog.Comment. */
  get title(): string {
    return this.options.verboseNamePlural ?? this.model.meta.verboseNamePlural;
  }

  /** The inline formset class editing the given fields (no permission logic: see inlineFormsetFor()). */
  baseFormset(parent: AnyModel, editable?: readonly string[], limits: { extra?: number; canDelete?: boolean } = {}): InlineFormsetClass<AnyModel, ModelForm> {
    const o = this.options;
    return inlineFormset(parent, this.model as AnyModel, {
      ...(editable ? { fields: [...editable] } : { exclude: [...(o.readonlyFields ?? [])] }),
      ...(o.fkName ? { fk: o.fkName } : {}),
      extra: limits.extra ?? o.extra ?? 3,
      canDelete: limits.canDelete ?? o.canDelete ?? true,
      ...(o.minNum !== undefined ? { min: o.minNum } : {}),
      ...(o.maxNum !== undefined ? { max: o.maxNum } : {}),
    } as never) as unknown as InlineFormsetClass<AnyModel, ModelForm>;
  }
}

/**
 * An inline shown as a table: one row per child, a column per field.
 * @example admin.register(Post, { inlines: [new TabularInline({ model: Comment, fields: ['text'], extra: 1 })] });
 */
export class TabularInline<C extends AnyModel = AnyModel> extends InlineAdmin<C> {
  readonly style = 'tabular' as const;
}

/**
 * An inline shown as stacked blocks: one fieldset per child, labels above fields.
 * @example admin.register(Post, { inlines: [new StackedInline({ model: Comment, maxNum: 5 })] });
 */
export class StackedInline<C extends AnyModel = AnyModel> extends InlineAdmin<C> {
  readonly style = 'stacked' as const;
}
