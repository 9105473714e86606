import type { FormInput } from '../data/form-input.js';
import { renderAttrs, type RenderedAttr } from '../render/html-attrs.js';
import { Widget, type WidgetRenderInput } from './widget.js';

/** An option as the select template shows it. */
export interface RenderedOption {
  readonly value: string;
  readonly label: string;
  readonly selected: boolean;
  /** Id of the option's own input (radio/checkbox lists), '' for `<option>`. */
  readonly id: string;
  readonly attrs: readonly RenderedAttr[];
}

/** The selected values of a render input, as a set of strings. */
export function selectedValues(input: WidgetRenderInput): Set<string> {
  if (input.value === null) return new Set();
  return new Set(typeof input.value === 'string' ? [input.value] : input.value);
}

/** `<select>` of the field's choices (one value). */
export class Select extends Widget {
  readonly templateName: string = 'forms/widgets/select.html';

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    const selected = selectedValues(input);
    let found = false;
    context.widget['options'] = (input.choices ?? []).map((choice): RenderedOption => {
      // Only the first matching option is selected in a single select, as browsers do.
      const isSelected = selected.has(choice.value) && (this.allowsMultiple || !found);
      if (isSelected && !this.allowsMultiple) found = true;
      return { value: choice.value, label: choice.label, selected: isSelected, id: '', attrs: [] };
    });
    return context;
  }

  /** A required select needs an empty first option for `required` to mean anything. */
  override useRequiredAttribute(): boolean {
    return true;
  }
}

/** `<select multiple>`; the value is the list of selected options. */
export class SelectMultiple extends Select {
  override readonly allowsMultiple = true;

  override valueFromData(input: FormInput, name: string): unknown {
    return input.values(name);
  }

  protected override buildAttrs(input: WidgetRenderInput): RenderedAttr[] {
    return renderAttrs(this.attrs, input.attrs, { multiple: true });
  }

  override valueOmittedFromData(): boolean {
    // A select with nothing chosen sends nothing: that is a value (none), not an omission.
    return false;
  }
}
