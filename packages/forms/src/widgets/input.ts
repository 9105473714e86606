import type { WidgetRenderInput } from './widget.js';
import { Widget } from './widget.js';

/** `<input type=...>` for one value. */
export abstract class Input extends Widget {
  readonly templateName: string = 'forms/widgets/input.html';
  abstract readonly inputType: string;

  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    const value = typeof input.value === 'string' && input.value !== '' ? input.value : null;
    context.widget['type'] = this.inputType;
    context.widget['value'] = this.rendersValue() ? value : null;
    return context;
  }

  /** Whether the current value is written back into the element (passwords are not). */
  protected rendersValue(): boolean {
    return true;
  }
}

export class TextInput extends Input {
  readonly inputType = 'text';
}

export class NumberInput extends Input {
  readonly inputType = 'number';
}

export class EmailInput extends Input {
  readonly inputType = 'email';
}

export class UrlInput extends Input {
  readonly inputType = 'url';
}

/** A password box; the submitted value is not sent back to the browser unless `renderValue` is set. */
export class PasswordInput extends Input {
  readonly inputType = 'password';
  readonly #renderValue: boolean;
  constructor(options: ConstructorParameters<typeof Input>[0] & { renderValue?: boolean } = {}) {
    super(options);
    this.#renderValue = options.renderValue === true;
  }
  protected override rendersValue(): boolean {
    return this.#renderValue;
  }
}

export class HiddenInput extends Input {
  readonly inputType = 'hidden';
  override readonly isHidden = true;
}

/** `<input type="date">`: the browser sends YYYY-MM-DD. */
export class DateInput extends Input {
  readonly inputType = 'date';
}

/** `<input type="datetime-local">`: the browser sends YYYY-MM-DDTHH:MM[:SS] without a zone. */
export class DateTimeInput extends Input {
  readonly inputType = 'datetime-local';
}

/** `<input type="time">`: the browser sends HH:MM[:SS]. */
export class TimeInput extends Input {
  readonly inputType = 'time';
}
