import type { AnyField, AnyModel, FieldKind } from '@atrium/orm';
import type { SafeHtml } from '@atrium/templates';
import { BooleanField, NullBooleanField } from '../fields/boolean-field.js';
import { CharField } from '../fields/char-field.js';
import { ChoiceField, type ChoiceValue } from '../fields/choice-field.js';
import { DecimalField } from '../fields/decimal-field.js';
import { BigIntField, JsonField, TimeField, UuidField } from '../fields/extra-fields.js';
import type { AnyFormField, FormFieldOptions } from '../fields/form-field.js';
import { ModelChoiceField, ModelMultipleChoiceField } from '../fields/model-choice-field.js';
import { FloatField, IntegerField } from '../fields/number-fields.js';
import { DateField, DateTimeField } from '../fields/temporal-fields.js';
import { EmailField, SlugField, TextField, UrlField } from '../fields/text-fields.js';
import type { Messages } from '../messages.js';
import type { Widget } from '../widgets/widget.js';

/** What a model form may change on a derived field. */
export interface DerivedFieldOverrides {
  widget?: Widget;
  label?: string | SafeHtml;
  helpText?: string | SafeHtml;
  messages?: Messages;
  /** Zone of datetime inputs without an offset. */
  timeZone?: string;
}

// PostgreSQL's integer column: a larger value would fail the insert instead of the form.
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

type FieldMaker = (field: AnyField, common: FormFieldOptions<never>, overrides: DerivedFieldOverrides) => AnyFormField | null;

const text = <C extends new (options: object) => AnyFormField>(Kind: C): FieldMaker => (field, common) =>
  new Kind({ ...common, ...maxLength(field), emptyValue: field.isNullable ? null : '' });

/**
 * The form field for each model field kind. A Record over FieldKind, so a
 * new kind in the ORM does not compile until it is handled here.
 */
const makers: Record<FieldKind, FieldMaker> = {
  autoField: () => null,
  uuid: (field, common) => new UuidField({ ...common, emptyValue: field.isNullable ? null : '' }),
  string: text(CharField),
  text: text(TextField),
  email: text(EmailField),
  url: text(UrlField),
  slug: text(SlugField),
  integer: (_field, common) => new IntegerField({ ...common, min: INT32_MIN, max: INT32_MAX }),
  bigint: (_field, common) => new BigIntField(common),
  float: (_field, common) => new FloatField(common),
  decimal: (field, common) => {
    const { maxDigits, decimalPlaces } = field as AnyField & { maxDigits: number; decimalPlaces: number };
    return new DecimalField({ ...common, maxDigits, decimalPlaces });
  },
  // A checkbox cannot say "unknown": a nullable boolean is a yes/no/unknown select.
  boolean: (field, common) => (field.isNullable ? new NullBooleanField(common) : new BooleanField({ ...common, required: false })),
  date: (_field, common) => new DateField(common),
  datetime: (_field, common, overrides) => new DateTimeField({ ...common, ...(overrides.timeZone ? { timeZone: overrides.timeZone } : {}) }),
  time: (_field, common) => new TimeField(common),
  json: (_field, common) => new JsonField(common),
  enum: (field, common) => choiceField(field, common),
  // Bytes have no form input; Django's BinaryField is not editable either.
  binary: () => null,
  foreignKey: (field, common) => new ModelChoiceField(targetOf(field), common),
  oneToOne: (field, common) => new ModelChoiceField(targetOf(field), common),
  manyToMany: (field, common) => {
    // Rows of an explicit `through` model carry their own columns: edit them with an inline formset.
    if ((field as AnyField & { m2m: { through?: unknown } }).m2m.through) return null;
    return new ModelMultipleChoiceField(targetOf(field), common);
  },
};

function targetOf(field: AnyField): AnyModel {
  return (field as AnyField & { target: AnyModel }).target;
}

function maxLength(field: AnyField): { maxLength?: number } {
  const length = (field as AnyField & { maxLength?: number }).maxLength;
  return length === undefined ? {} : { maxLength: length };
}

function choiceField(field: AnyField, common: FormFieldOptions<never>): AnyFormField {
  const choices = (field.options.choices ?? []).map((choice) => (Array.isArray(choice) ? (choice as unknown as readonly [ChoiceValue, string]) : ([choice, String(choice)] as const)));
  return new ChoiceField(choices as Array<readonly [ChoiceValue, string]>, common);
}

/** "published at" -> "Published at". */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether a form may leave the field empty: `blank` when given, else when
 * the column is nullable or has a default (the default is used then).
 */
export function isBlankAllowed(field: AnyField): boolean {
  if (field.kind === 'manyToMany') return field.options.blank !== false;
  if (field.options.blank !== undefined) return field.options.blank;
  return field.isNullable || field.hasDefault();
}

/**
 * The form field for a model field, or null when the field is not edited
 * in forms (not editable, generated keys, bytes, through-model relations).
 * Max lengths, decimal digits, choices (as a select), required-ness and the
 * label and help text come from the model field.
 */
export function formFieldFor(field: AnyField, overrides: DerivedFieldOverrides = {}): AnyFormField | null {
  if (!field.isEditable || field.isGenerated) return null;
  // A primary key with a default (uuid) is made by the model, not typed in.
  if (field.isPrimaryKey && field.hasDefault()) return null;
  const common = {
    required: !isBlankAllowed(field),
    label: overrides.label ?? capitalize(field.verboseName),
    ...(overrides.helpText ?? field.options.helpText ? { helpText: overrides.helpText ?? field.options.helpText } : {}),
    ...(overrides.widget ? { widget: overrides.widget } : {}),
    ...(overrides.messages ? { messages: overrides.messages } : {}),
  } as FormFieldOptions<never>;
  const hasChoices = field.kind !== 'enum' && field.kind !== 'foreignKey' && field.kind !== 'oneToOne' && (field.options.choices?.length ?? 0) > 0;
  if (hasChoices) return choiceField(field, common);
  return makers[field.kind](field, common, overrides);
}
