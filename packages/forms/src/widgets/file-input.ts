import type { FormInput } from '../data/form-input.js';
import { Input } from './input.js';
import type { WidgetRenderInput } from './widget.js';

/** Raw value of a clearable file input whose "clear" box was checked (and no new file sent). */
export const FILE_CLEARED: unique symbol = Symbol('forms.fileCleared');
/** Raw value when a new file was sent AND the "clear" box was checked. */
export const FILE_CONTRADICTION: unique symbol = Symbol('forms.fileContradiction');

/** `<input type="file">`. The raw value is the first uploaded file, or undefined. */
export class FileInput extends Input {
  readonly inputType = 'file';
  override readonly needsMultipart = true;

  override valueFromData(input: FormInput, name: string): unknown {
    const files = input.files(name);
    if (files.length > 0) return files[0];
    // JSON cannot carry files: a value sent under the name is kept for the field to refuse.
    return input.has(name) ? input.value(name) : undefined;
  }

  override valueOmittedFromData(input: FormInput, name: string): boolean {
    return input.files(name).length === 0 && !input.has(name);
  }

  protected override rendersValue(): boolean {
    // Browsers never prefill file inputs.
    return false;
  }
}

/**
 * A file input that shows the current file (when editing) and, for an
 * optional field, a "Clear" checkbox named `<name>-clear`.
 */
export class ClearableFileInput extends FileInput {
  override readonly templateName = 'forms/widgets/clearable_file.html';

  /** Name of the "clear" checkbox for a file input named `name`. */
  static clearName(name: string): string {
    return `${name}-clear`;
  }

  override valueFromData(input: FormInput, name: string): unknown {
    const upload = super.valueFromData(input, name);
    const clearSent = input.has(ClearableFileInput.clearName(name));
    if (!clearSent) return upload;
    return upload === undefined ? FILE_CLEARED : FILE_CONTRADICTION;
  }

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    const current = typeof input.value === 'string' && input.value !== '' ? input.value : null;
    const id = typeof input.attrs['id'] === 'string' ? input.attrs['id'] : '';
    context.widget['current'] = current;
    context.widget['clearable'] = current !== null && input.attrs['required'] !== true;
    context.widget['clearName'] = ClearableFileInput.clearName(input.name);
    context.widget['clearId'] = id ? `${id}-clear_id` : '';
    return context;
  }
}
