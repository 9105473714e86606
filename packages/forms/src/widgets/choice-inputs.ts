import type { FormInput } from '../data/form-input.js';
import { renderAttrs } from '../render/html-attrs.js';
import { selectedValues, type RenderedOption } from './select.js';
import { Widget, type WidgetRenderInput } from './widget.js';

/**
 * A list of radio buttons or checkboxes, one per choice, inside a group the
 * field template labels with a `<fieldset>` and `<legend>`. Each input gets
 * the id `<field id>_<index>` and the field's aria attributes.
 */
abstract class ChoiceInputs extends Widget {
  readonly templateName: string = 'forms/widgets/multiple_input.html';
  override readonly isGroup = true;
  abstract readonly inputType: 'radio' | 'checkbox';

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    const selected = selectedValues(input);
    const baseId = typeof input.attrs['id'] === 'string' ? input.attrs['id'] : '';
    const { id: _id, ...shared } = { ...this.attrs, ...input.attrs };
    context.widget['type'] = this.inputType;
    context.widget['id'] = baseId;
    context.widget['options'] = (input.choices ?? []).map((choice, index): RenderedOption => {
      const id = baseId ? `${baseId}_${index}` : '';
      return {
        value: choice.value,
        label: choice.label,
        selected: selected.has(choice.value),
        id,
        attrs: renderAttrs(shared, { id: id || null, checked: selected.has(choice.value), required: this.inputType === 'radio' ? shared['required'] : false }),
      };
    });
    return context;
  }
}

/** Radio buttons: one value. */
export class RadioSelect extends ChoiceInputs {
  readonly inputType = 'radio';
}

/** Checkboxes: several values; `required` is not put on each box (the browser would demand all). */
export class CheckboxSelectMultiple extends ChoiceInputs {
  readonly inputType = 'checkbox';
  override readonly allowsMultiple = true;

  override valueFromData(input: FormInput, name: string): unknown {
    return input.values(name);
  }

  override valueOmittedFromData(): boolean {
    return false;
  }

  override useRequiredAttribute(): boolean {
    return false;
  }
}
