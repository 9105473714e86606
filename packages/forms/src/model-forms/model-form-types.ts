import type { AutoField, BooleanField, Field, ForeignKey, Instance, ManyToManyField, Model } from '@atrium/orm';
import type { FormField } from '../fields/form-field.js';

/** The field declarations of a model. */
// The name is inferred too: Model is invariant in it, so `Model<string, infer F>` would not match `Model<'blog.Post', ...>`.
export type ModelFieldsOf<M> = M extends { readonly fields: infer F } ? F : never;

/** Names of a model's fields a form can edit (auto keys left out; editable: false is checked at run time). */
export type EditableFieldName<M> = {
  [K in keyof ModelFieldsOf<M> & string]: ModelFieldsOf<M>[K] extends AutoField ? never : K;
}[keyof ModelFieldsOf<M> & string];

/**
 * The cleaned value a model form gives for a model field: the related
 * object for a foreign key, a list of objects for a many-to-many field,
 * else the field's value; `| null` when the field may be left empty
 * (nullable, or with a default the model then uses).
 */
export type ModelFormValue<F> =
  F extends ManyToManyField<infer T>
    ? Array<Instance<T>>
    : F extends ForeignKey<infer T, infer N, infer O>
      ? N extends true ? Instance<T> | null : O extends true ? Instance<T> | null : Instance<T>
      : F extends BooleanField<infer N, boolean>
        ? N extends true ? boolean | null : boolean
        : F extends Field<infer V, infer N, infer O>
          ? N extends true ? V | null : O extends true ? V | null : V
          : never;

/** The form fields a model form derives for the names K of model M. */
export type ModelFormFields<M, K extends string> = {
  [P in K]: P extends keyof ModelFieldsOf<M> ? FormField<ModelFormValue<ModelFieldsOf<M>[P]>> : never;
};
