import type { FormInput } from '../data/form-input.js';
import { checkAttrNames, renderAttrs, type Attrs, type RenderedAttr } from '../render/html-attrs.js';
import type { FormRenderer } from '../render/form-renderer.js';

/** A choice as widgets show it: the submitted value and its label. */
export interface WidgetChoice {
  readonly value: string;
  readonly label: string;
}

/** What a bound field hands its widget to render. */
export interface WidgetRenderInput {
  /** The HTML name (prefix included). */
  readonly name: string;
  /** The value to show: a string, a list of strings (multi-valued widgets), or null for none. */
  readonly value: string | readonly string[] | null;
  /** Attributes from the bound field (id, aria-*, required, disabled), merged over the widget's own. */
  readonly attrs: Attrs;
  readonly choices?: readonly WidgetChoice[];
}

export interface WidgetOptions {
  /** Extra HTML attributes (`{ class: 'wide', placeholder: 'Title' }`). */
  attrs?: Attrs;
  /** Another template for this widget (default: the class's). */
  templateName?: string;
}

/**
 * How a field is shown as HTML and read back from submitted data. Each
 * widget renders a Nunjucks template (`forms/widgets/*.html`, overridable by
 * a project) from the context `getContext()` builds; subclasses adjust the
 * context or the reading of data, not the markup.
 * @example fields.char({ widget: new TextInput({ attrs: { placeholder: 'Your name' } }) })
 */
export abstract class Widget {
  abstract readonly templateName: string;
  readonly attrs: Attrs;
  readonly #templateName: string | undefined;
  /** Hidden widgets are rendered without label, help or errors (errors go to the top of the form). */
  readonly isHidden: boolean = false;
  /** True when the form must be sent as multipart/form-data. */
  readonly needsMultipart: boolean = false;
  /** Several values (select multiple, checkboxes): the value is a list. */
  readonly allowsMultiple: boolean = false;
  /** The widget is a group of inputs: label it with a fieldset legend, not `<label for>`. */
  readonly isGroup: boolean = false;

  constructor(options: WidgetOptions = {}) {
    this.attrs = { ...options.attrs };
    this.#templateName = options.templateName;
    checkAttrNames(this.attrs, new.target.name);
  }

  /** The submitted raw value for `name`. */
  valueFromData(input: FormInput, name: string): unknown {
    return input.value(name);
  }

  /** Whether the data left this widget out entirely (a checkbox never is: unchecked sends nothing). */
  valueOmittedFromData(input: FormInput, name: string): boolean {
    return !input.has(name);
  }

  /** Whether to put `required` on the element; a browser would refuse an unchecked checkbox otherwise. */
  useRequiredAttribute(_initial: unknown): boolean {
    return !this.isHidden;
  }

  /** The context of the template: `widget` with name, value, attributes and template name. */
  getContext(input: WidgetRenderInput): Record<string, unknown> {
    return {
      widget: {
        name: input.name,
        value: input.value,
        attrs: this.buildAttrs(input),
        templateName: this.#templateName ?? this.templateName,
        isHidden: this.isHidden,
      },
    };
  }

  /** Attributes: the widget's own, then the bound field's. */
  protected buildAttrs(input: WidgetRenderInput): RenderedAttr[] {
    return renderAttrs(this.attrs, input.attrs);
  }

  /** The markup of the widget. */
  render(renderer: FormRenderer, input: WidgetRenderInput): string {
    return renderer.render(this.#templateName ?? this.templateName, this.getContext(input));
  }
}
