import type { UploadedFile } from '@atrium/core';
import type { ModelLike, QuerySetLike } from '../data/queryset-source.js';
import { BooleanField, NullBooleanField } from './boolean-field.js';
import { CharField, type CharFieldOptions } from './char-field.js';
import { ChoiceField, MultipleChoiceField, type ChoiceFieldOptions, type ChoiceValue, type Choices, type MultipleChoiceFieldOptions } from './choice-field.js';
import { DecimalField, type DecimalFieldOptions } from './decimal-field.js';
import { FileField, ImageField, type FileFieldOptions } from './file-field.js';
import type { FormFieldOptions, Optional } from './form-field.js';
import { ModelChoiceField, ModelMultipleChoiceField, type ModelChoiceFieldOptions } from './model-choice-field.js';
import { FloatField, IntegerField, type NumberFieldOptions } from './number-fields.js';
import { DateField, DateTimeField, type DateFieldOptions, type DateTimeFieldOptions } from './temporal-fields.js';
import { BigIntField, JsonField, TimeField, UuidField } from './extra-fields.js';
import { EmailField, HiddenField, PasswordField, SlugField, TextField, UrlField, type UrlFieldOptions } from './text-fields.js';

/** Text output: '' when an optional field is left empty, or null with `emptyValue: null`. */
type TextOutput<O> = O extends { required: false } ? (O extends { emptyValue: null } ? string | null : string) : string;
/** File output: an optional file field gives null (nothing sent) or false (cleared). */
type FileOutput<O> = O extends { required: false } ? UploadedFile | null | false : UploadedFile;

/** A single model choice from a model or a queryset; the cleaned value is the object. */
function modelChoice<I, const O extends ModelChoiceFieldOptions<I, I> = {}>(source: QuerySetLike<I> | ModelLike<I>, options?: O & ModelChoiceFieldOptions<I, I>): ModelChoiceField<I, Optional<O, I>> {
  return new ModelChoiceField<I, Optional<O, I>>(source, options as never);
}

/** Several model objects from a model or a queryset; the cleaned value is the list of objects. */
function modelMultipleChoice<I>(source: QuerySetLike<I> | ModelLike<I>, options?: ModelChoiceFieldOptions<I[], I>): ModelMultipleChoiceField<I> {
  return new ModelMultipleChoiceField<I>(source, options);
}

/**
 * Field constructors. The options decide the cleaned type: `required: false`
 * adds `null` (text fields give '' instead, or null with `emptyValue: null`).
 * @example
 * const ContactForm = form({
 *   name: fields.char({ maxLength: 100 }),
 *   email: fields.email(),
 *   age: fields.integer({ required: false, min: 0 }),
 *   topic: fields.choice([['bug', 'Bug report'], ['idea', 'Idea']]),
 * });
 */
export const fields = {
  char: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new CharField<TextOutput<O>>(options as never),
  text: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new TextField<TextOutput<O>>(options as never),
  email: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new EmailField<TextOutput<O>>(options as never),
  url: <const O extends UrlFieldOptions<string> = {}>(options?: O & UrlFieldOptions<string>) => new UrlField<TextOutput<O>>(options as never),
  slug: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new SlugField<TextOutput<O>>(options as never),
  hidden: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new HiddenField<TextOutput<O>>(options as never),
  password: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new PasswordField<TextOutput<O>>(options as never),
  integer: <const O extends NumberFieldOptions<number> = {}>(options?: O & NumberFieldOptions<number>) => new IntegerField<Optional<O, number>>(options as never),
  float: <const O extends NumberFieldOptions<number> = {}>(options?: O & NumberFieldOptions<number>) => new FloatField<Optional<O, number>>(options as never),
  decimal: <const O extends DecimalFieldOptions<string> = {}>(options?: O & DecimalFieldOptions<string>) => new DecimalField<Optional<O, string>>(options as never),
  boolean: (options?: FormFieldOptions<boolean>) => new BooleanField(options),
  nullBoolean: (options?: FormFieldOptions<boolean | null>) => new NullBooleanField(options),
  choice: <const V extends ChoiceValue, const O extends ChoiceFieldOptions<V> = {}>(choices: Choices<V>, options?: O & ChoiceFieldOptions<V>) =>
    new ChoiceField<V, Optional<O, V>>(choices, options as never),
  multipleChoice: <const V extends ChoiceValue>(choices: Choices<V>, options?: MultipleChoiceFieldOptions<V[]>) => new MultipleChoiceField<V>(choices, options),
  date: <const O extends DateFieldOptions<string> = {}>(options?: O & DateFieldOptions<string>) => new DateField<Optional<O, string>>(options as never),
  datetime: <const O extends DateTimeFieldOptions<Date> = {}>(options?: O & DateTimeFieldOptions<Date>) => new DateTimeField<Optional<O, Date>>(options as never),
  file: <const O extends FileFieldOptions<UploadedFile> = {}>(options?: O & FileFieldOptions<UploadedFile>) => new FileField<FileOutput<O>>(options as never),
  image: <const O extends FileFieldOptions<UploadedFile> = {}>(options?: O & FileFieldOptions<UploadedFile>) => new ImageField<FileOutput<O>>(options as never),
  time: <const O extends FormFieldOptions<string> = {}>(options?: O & FormFieldOptions<string>) => new TimeField<Optional<O, string>>(options as never),
  uuid: <const O extends CharFieldOptions<string> = {}>(options?: O & CharFieldOptions<string>) => new UuidField<TextOutput<O>>(options as never),
  bigint: <const O extends FormFieldOptions<bigint> = {}>(options?: O & FormFieldOptions<bigint>) => new BigIntField<Optional<O, bigint>>(options as never),
  json: <T = unknown>(options?: FormFieldOptions<T>) => new JsonField<T>(options),
  modelChoice,
  modelMultipleChoice,
};
