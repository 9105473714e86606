import { ModelChoiceField, ModelMultipleChoiceField, TextInput, type AnyFormField, type FormInput, type WidgetChoice, type WidgetRenderInput } from '@atrium/forms';
import type { AnyField, AnyModel } from '@atrium/orm';

/** Most keys one autocomplete input may carry (a many-to-many list), as the forms package caps lists. */
const MAX_KEYS = 1000;

/**
 * The input of an `autocompleteFields` field: a plain key input (works
 * without script: type the id), which the admin's script turns into a
 * keyboard-usable search box asking the site's autocomplete endpoint. For a
 * many-to-many field the keys are sent comma-separated.
 */
export class AutocompleteInput extends TextInput {
  readonly multiple: boolean;
  /** The text of the selected objects by key, filled by the change form before rendering. */
  labels = new Map<string, string>();

  constructor(url: string, multiple: boolean) {
    super({ attrs: { class: 'admin-autocomplete', 'data-autocomplete-url': url, ...(multiple ? { 'data-multiple': 'true' } : {}), autocomplete: 'off', spellcheck: 'false' } });
    this.multiple = multiple;
  }

  override valueFromData(input: FormInput, name: string): unknown {
    if (!this.multiple) return input.value(name);
    const keys = input.values(name).flatMap((value) => (typeof value === 'string' ? value.split(',') : [value])).map((key) => (typeof key === 'string' ? key.trim() : key));
    return keys.filter((key) => key !== '').slice(0, MAX_KEYS + 1);
  }

  /** The keys the input shows now. */
  keysOf(value: string | readonly string[] | null): string[] {
    if (value === null) return [];
    return (typeof value === 'string' ? value.split(',') : [...value]).map((key) => key.trim()).filter(Boolean);
  }

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const keys = this.keysOf(input.value);
    const labels = keys.map((key) => ({ id: key, text: this.labels.get(key) ?? key }));
    return super.getContext({
      ...input,
      value: keys.join(','),
      attrs: { ...input.attrs, 'data-labels': JSON.stringify(labels) },
    });
  }
}

/** A foreign key picked by autocomplete: no choice list is loaded (the table may be huge); only the sent key is looked up. */
class AutocompleteChoiceField extends ModelChoiceField<unknown, unknown> {
  override get hasLazyChoices(): boolean {
    return false;
  }
  override widgetChoices(): readonly WidgetChoice[] | undefined {
    return undefined;
  }
}

/** A many-to-many field picked by autocomplete, likewise without a choice list. */
class AutocompleteMultipleChoiceField extends ModelMultipleChoiceField<unknown> {
  override get hasLazyChoices(): boolean {
    return false;
  }
  override widgetChoices(): readonly WidgetChoice[] | undefined {
    return undefined;
  }
}

/**
 * The form field of an autocomplete model field: the derived field's
 * label, help and required-ness, the target's objects as the source, and
 * an AutocompleteInput pointing at `url`.
 */
export function autocompleteFormField(field: AnyField, derived: AnyFormField, url: string): AnyFormField {
  const target = (field as unknown as { target: AnyModel }).target;
  const multiple = field.kind === 'manyToMany';
  const options = {
    required: derived.required,
    ...(derived.label !== undefined ? { label: derived.label } : {}),
    ...(derived.helpText !== undefined ? { helpText: derived.helpText } : {}),
    widget: new AutocompleteInput(url, multiple),
  };
  const source = target as never;
  return (multiple ? new AutocompleteMultipleChoiceField(source, options as never) : new AutocompleteChoiceField(source, options as never)) as unknown as AnyFormField;
}
