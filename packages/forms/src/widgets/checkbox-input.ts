import type { FormInput } from '../data/form-input.js';
import { renderAttrs, type RenderedAttr } from '../render/html-attrs.js';
import { Input } from './input.js';
import type { WidgetRenderInput } from './widget.js';

// What a checkbox may send, as Django's CheckboxInput reads it: anything else that is sent means checked.
const UNCHECKED = new Set(['', 'false', '0', 'off', 'no']);

/**
 * A checkbox. Unchecked boxes send nothing, so the data is never "omitted";
 * the raw value read back is a boolean (or the JSON value, for the field to judge).
 */
export class CheckboxInput extends Input {
  readonly inputType = 'checkbox';

  override valueFromData(input: FormInput, name: string): unknown {
    if (!input.has(name)) return false;
    const value = input.value(name);
    if (typeof value === 'string') return !UNCHECKED.has(value.trim().toLowerCase());
    return value;
  }

  override valueOmittedFromData(): boolean {
    return false;
  }

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    // The box is sent as "on" when checked; the value shows as the checked state.
    context.widget['value'] = null;
    return context;
  }

  protected override buildAttrs(input: WidgetRenderInput): RenderedAttr[] {
    return renderAttrs(this.attrs, input.attrs, { checked: input.value === 'true' });
  }
}
