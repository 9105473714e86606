import { markSafe, type SafeHtml } from '@atrium/templates';
import { ChoicesNotLoaded } from '../errors.js';
import type { AnyFormField } from '../fields/form-field.js';
import type { Attrs } from '../render/html-attrs.js';
import { SafeRenderable } from '../render/safe-renderable.js';
import type { FormError } from '../validation/issue.js';
import type { WidgetChoice } from '../widgets/widget.js';
import { labelFromName } from './field-names.js';
import type { Form } from './form.js';

/**
 * A field of one form instance: its name with the prefix, id, label,
 * current value and errors. In a template, `{{ form.fields.title }}` renders
 * the whole field (label, help, errors, widget, from `forms/field.html`);
 * `{{ form.fields.title.widget }}`, `.labelTag`, `.errors`, `.helpText` give
 * the parts.
 */
export class BoundField extends SafeRenderable {
  readonly form: Form;
  readonly field: AnyFormField;
  /** The declared name (`title`). */
  readonly name: string;
  /** The name in HTML, prefix included (`post-title`). */
  readonly htmlName: string;

  constructor(form: Form, field: AnyFormField, name: string) {
    super();
    this.form = form;
    this.field = field;
    this.name = name;
    this.htmlName = form.addPrefix(name);
  }

  /** The element id (`id_post-title`), or '' when the form has autoId off. */
  get id(): string {
    return this.form.autoId === false ? '' : this.form.autoId.replace('{name}', this.htmlName);
  }

  /** The id a `<label for>` points at (the widget's). */
  get idForLabel(): string {
    return this.id;
  }

  get label(): string | SafeHtml {
    return this.field.label ?? labelFromName(this.name);
  }

  get helpText(): string | SafeHtml | undefined {
    return this.field.helpText;
  }

  get helpTextId(): string {
    return this.id && this.helpText ? `${this.id}_helptext` : '';
  }

  get errorId(): string {
    return this.id && this.errors.length > 0 ? `${this.id}_error` : '';
  }

  /** The errors with their codes. */
  get errorList(): readonly FormError[] {
    return this.form.errors.get(this.name);
  }

  /** The error messages. */
  get errors(): string[] {
    return this.errorList.map((error) => error.message);
  }

  get required(): boolean {
    return this.field.required;
  }

  get disabled(): boolean {
    return this.field.disabled;
  }

  get isHidden(): boolean {
    return this.field.widget.isHidden;
  }

  /** Label the widget with a fieldset legend (radio and checkbox groups) instead of `<label for>`. */
  get useFieldset(): boolean {
    return this.field.widget.isGroup;
  }

  /** The initial value (form's `initial`, else the field's). */
  get initial(): unknown {
    return this.form.initialFor(this.name);
  }

  /** The raw submitted data for this field (undefined when unbound). */
  get data(): unknown {
    return this.form.rawValue(this.name);
  }

  /** The value the widget shows: submitted data when bound (and not disabled), else the initial value. */
  get value(): string | readonly string[] | null {
    const source = this.form.isBound && !this.disabled ? this.field.boundData(this.data, this.initial) : this.initial;
    return this.field.formatValue(source);
  }

  /** Ids of the help text and error list, for `aria-describedby`. */
  get describedBy(): string {
    return [this.helpTextId, this.errorId].filter(Boolean).join(' ');
  }

  /** Attributes put on the widget: id, required, disabled, aria-invalid, aria-describedby, and the field's own. */
  widgetAttrs(): Attrs {
    // Hidden inputs are not described: their errors are shown at the top of the form.
    const invalid = this.errors.length > 0 && !this.isHidden;
    return {
      // Constraints (maxlength, min...) mean nothing on a hidden input.
      ...(this.isHidden ? {} : this.field.widgetAttrs()),
      id: this.id || null,
      required: this.field.required && this.form.useRequiredAttribute && this.field.widget.useRequiredAttribute(this.initial),
      disabled: this.disabled,
      'aria-invalid': invalid ? 'true' : null,
      'aria-describedby': (!this.isHidden && this.describedBy) || null,
    };
  }

  /** The choices the widget shows (loaded by `form.prepare()` for model choice fields). */
  get choices(): readonly WidgetChoice[] | undefined {
    if (!this.field.hasLazyChoices) return this.field.widgetChoices();
    const loaded = this.form.loadedChoices(this.name);
    if (!loaded) throw new ChoicesNotLoaded(this.form.constructor.name || 'Form', this.name);
    return loaded;
  }

  /** The widget's markup. */
  get widget(): SafeHtml {
    const choices = this.choices;
    return markSafe(
      this.field.widget.render(this.form.renderer, {
        name: this.htmlName,
        value: this.value,
        attrs: this.widgetAttrs(),
        ...(choices ? { choices } : {}),
      }),
    );
  }

  /** `<label for="id">Label</label>` (a `<legend>` is used for groups by the field template). */
  get labelTag(): SafeHtml {
    return markSafe(this.form.renderer.render('forms/label.html', { field: this }));
  }

  /** The whole field, from `forms/field.html` (hidden fields: just the widget). */
  toHtml(): string {
    if (this.isHidden) return this.widget.val;
    return this.form.renderer.render(this.form.fieldTemplateName, { field: this });
  }
}
