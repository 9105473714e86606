import { Widget, type WidgetOptions, type WidgetRenderInput } from './widget.js';

/** `<textarea>`; 10 rows and 40 columns unless attrs say otherwise. */
export class Textarea extends Widget {
  readonly templateName = 'forms/widgets/textarea.html';
  constructor(options: WidgetOptions = {}) {
    super({ ...options, attrs: { rows: 10, cols: 40, ...options.attrs } });
  }
  override getContext(input: WidgetRenderInput): Record<string, unknown> {
    const context = super.getContext(input) as { widget: Record<string, unknown> };
    context.widget['value'] = typeof input.value === 'string' ? input.value : '';
    return context;
  }
}
