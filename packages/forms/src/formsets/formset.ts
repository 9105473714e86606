import type { HttpRequest } from '@atrium/core';
import { markSafe, type SafeHtml } from '@atrium/templates';
import { csrfInput } from '../render/csrf-input.js';
import { EMPTY_INPUT, formInput, type FormDataSource, type FormFilesSource, type FormInput } from '../data/form-input.js';
import { readRequestData } from '../data/read-request.js';
import { FormInvalid, FormNotValidated, ValidationError } from '../errors.js';
import { BooleanField } from '../fields/boolean-field.js';
import type { AnyFormField } from '../fields/form-field.js';
import { IntegerField } from '../fields/number-fields.js';
import type { Form, FormInit, InitialData, FieldsOf, CleanedData } from '../form/form.js';
import type { FormErrors } from '../form/form-errors.js';
import { formatMessage, type Messages } from '../messages.js';
import { rendererFor, type FormRenderer } from '../render/form-renderer.js';
import { SafeRenderable } from '../render/safe-renderable.js';
import type { FormError, IssueInit } from '../validation/issue.js';
import { NumberInput } from '../widgets/input.js';
import { INITIAL_FORMS, managementCount, ManagementForm, MAX_NUM_FORMS, MIN_NUM_FORMS, TOTAL_FORMS } from './management-form.js';

/** Name of the delete checkbox and order field each form of a formset may get. */
export const DELETION_FIELD = 'DELETE';
export const ORDERING_FIELD = 'ORDER';

/** Default `max`, as Django's DEFAULT_MAX_NUM; also the margin of `absoluteMax` over `max`. */
export const DEFAULT_MAX_FORMS = 1000;

export interface FormsetOptions {
  /** Empty forms shown after the initial ones (default 1). */
  extra?: number;
  /** Fewest forms to submit; given, it is validated (default 0). */
  min?: number;
  /** Most forms to submit; given, it is validated (default 1000, not validated). */
  max?: number;
  /** Hard cap on the forms built from submitted data, whatever TOTAL_FORMS says (default max + 1000). */
  absoluteMax?: number;
  /** Give each form a DELETE checkbox. */
  canDelete?: boolean;
  /** Also for the extra (new) forms (default true). */
  canDeleteExtra?: boolean;
  /** Give each form an ORDER number field; `orderedForms` sorts by it. */
  canOrder?: boolean;
  /** Message overrides for formset-level errors (too_few_forms, too_many_forms, management_form...). */
  messages?: Messages;
  /** Template of the formset (default 'forms/formset.html'). */
  templateName?: string;
}

/** What a formset needs of a form class. */
export type FormConstructor<T extends Form> = new (init?: FormInit<FieldsOf<T>>) => T;

export interface FormsetInit<T extends Form> {
  data?: FormDataSource | null;
  files?: FormFilesSource;
  /** Initial data of the first forms (each one becomes an "initial" form). */
  initial?: ReadonlyArray<InitialData<FieldsOf<T>>>;
  /** Prefix of every name (default 'form': `form-0-title`, `form-TOTAL_FORMS`). */
  prefix?: string;
  request?: HttpRequest;
  renderer?: FormRenderer;
}

interface FormsetState<T extends Form> {
  readonly valid: boolean;
  readonly nonFormErrors: readonly FormError[];
  readonly deleted: ReadonlySet<T>;
}

/**
 * A set of forms of one class on one page: Django's formsets. Management
 * data (`<prefix>-TOTAL_FORMS`, `-INITIAL_FORMS`, ...) says how many forms
 * were sent; rows are added by raising TOTAL_FORMS (the `emptyForm` is the
 * template of a new row) and deleted with each form's DELETE box. Hostile
 * management data is an error, and never builds more than `absoluteMax` forms.
 * @example
 * const Lines = formset(LineForm, { extra: 2, canDelete: true, max: 20 });
 * const lines = await Lines.bind(request);
 * if (await lines.isValid()) for (const line of lines.cleanedData) await save(line);
 */
export class Formset<T extends Form = Form> extends SafeRenderable {
  /** The form class (set by `formset()`). */
  static formClass: FormConstructor<Form>;
  static formsetOptions: FormsetOptions = {};

  readonly isBound: boolean;
  readonly prefix: string;
  readonly initial: ReadonlyArray<InitialData<FieldsOf<T>>>;
  readonly request: HttpRequest | undefined;
  readonly #data: FormDataSource | undefined;
  readonly #files: FormFilesSource | undefined;
  readonly #renderer: FormRenderer | undefined;
  readonly managementForm: Form;
  #managementValid: boolean | undefined;
  #forms: T[] | undefined;
  #emptyForm: T | undefined;
  #state: FormsetState<T> | undefined;
  #validation: Promise<FormsetState<T>> | undefined;

  constructor(init: FormsetInit<T> = {}) {
    super();
    this.isBound = init.data !== undefined && init.data !== null;
    this.prefix = init.prefix ?? 'form';
    this.initial = init.initial ?? [];
    this.request = init.request;
    this.#data = init.data ?? undefined;
    this.#files = init.files;
    this.#renderer = init.renderer;
    this.managementForm = this.isBound
      ? new ManagementForm({ data: init.data!, prefix: this.prefix, renderer: this.renderer })
      : new ManagementForm({
          prefix: this.prefix,
          renderer: this.renderer,
          initial: { [TOTAL_FORMS]: this.totalFormCount(), [INITIAL_FORMS]: this.initialFormCount(), [MIN_NUM_FORMS]: this.min, [MAX_NUM_FORMS]: this.max },
        });
    // The formset renders the CSRF field once, not the management form.
    this.managementForm.inFormset = true;
  }

  /**
   * A formset bound to the request's body (unbound for GET and HEAD).
   * @example const lines = await LineFormset.bind(request, { initial: existingLines });
   */
  static override async bind<S extends Formset>(this: new (init?: FormsetInit<FormOf<S>>) => S, request: HttpRequest, init: Omit<FormsetInit<FormOf<S>>, 'data' | 'files' | 'request'> = {}): Promise<S> {
    if (['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(request.method)) return new this({ ...init, request });
    const { data, files } = await readRequestData(request);
    return new this({ ...init, data, files, request });
  }

  get #options(): FormsetOptions {
    return (this.constructor as typeof Formset).formsetOptions;
  }

  get extra(): number {
    return this.#options.extra ?? 1;
  }

  get min(): number {
    return this.#options.min ?? 0;
  }

  get max(): number {
    return this.#options.max ?? DEFAULT_MAX_FORMS;
  }

  get absoluteMax(): number {
    return this.#options.absoluteMax ?? this.max + DEFAULT_MAX_FORMS;
  }

  get canDelete(): boolean {
    return this.#options.canDelete === true;
  }

  get canOrder(): boolean {
    return this.#options.canOrder === true;
  }

  get renderer(): FormRenderer {
    return this.#renderer ?? rendererFor(this.request?.app);
  }

  /** The submitted data (empty when unbound). */
  get boundInput(): FormInput {
    return this.#data === undefined ? EMPTY_INPUT : formInput(this.#data, this.#files);
  }

  /** Whether the management data is usable (always true for an unbound formset). */
  get #management(): boolean {
    if (!this.isBound) return true;
    // Synchronous check: the management fields are plain integers, validated by their own parser.
    this.#managementValid ??= [TOTAL_FORMS, INITIAL_FORMS].every((name) => managementCount(this.managementForm.rawValue(name)) !== null);
    return this.#managementValid;
  }

  /** How many forms there are: from the management data when bound (capped by absoluteMax), else initial + extra within min/max. */
  totalFormCount(): number {
    if (this.isBound) {
      if (!this.#management) return 0;
      return Math.min(managementCount(this.managementForm.rawValue(TOTAL_FORMS))!, this.absoluteMax);
    }
    const initial = this.initialFormCount();
    let total = Math.max(initial + this.extra, this.min);
    if (initial > this.max) total = initial;
    else if (total > this.max) total = this.max;
    return total;
  }

  /** How many of the forms edit existing data (the first ones). */
  initialFormCount(): number {
    if (this.isBound) {
      if (!this.#management) return 0;
      return Math.min(managementCount(this.managementForm.rawValue(INITIAL_FORMS))!, this.totalFormCount());
    }
    return this.initial.length;
  }

  /** The forms, initial ones first. */
  get forms(): T[] {
    if (!this.#forms) {
      const count = this.totalFormCount();
      this.#forms = Array.from({ length: count }, (_, index) => this.#buildForm(index));
    }
    return this.#forms;
  }

  /** The initial forms (editing existing data). */
  get initialForms(): T[] {
    return this.forms.slice(0, this.initialFormCount());
  }

  /** The extra forms (new rows). */
  get extraForms(): T[] {
    return this.forms.slice(this.initialFormCount());
  }

  /** A blank form with `__prefix__` in its names: the template for rows added in the browser. */
  get emptyForm(): T {
    if (!this.#emptyForm) {
      this.#emptyForm = this.#construct({ ...this.formInit(null), prefix: `${this.prefix}-__prefix__`, emptyPermitted: true, renderer: this.renderer });
      this.addFields(this.#emptyForm, null);
    }
    return this.#emptyForm;
  }

  /** Extra options for the form at `index` (null: the empty form). Model formsets pass the instance here. */
  protected formInit(index: number | null): Partial<FormInit<FieldsOf<T>>> {
    if (index === null || index >= this.initial.length) return {};
    return { initial: this.initial[index] };
  }

  #construct(init: FormInit<FieldsOf<T>>): T {
    const FormClass = (this.constructor as typeof Formset).formClass as unknown as FormConstructor<T>;
    const form = new FormClass(init);
    form.inFormset = true;
    return form;
  }

  #buildForm(index: number): T {
    const init: FormInit<FieldsOf<T>> = {
      ...this.formInit(index),
      prefix: `${this.prefix}-${index}`,
      renderer: this.renderer,
      ...(this.request ? { request: this.request } : {}),
      // Extra forms beyond the minimum may be left untouched.
      emptyPermitted: index >= this.initialFormCount() && index >= this.min,
      useRequiredAttribute: false,
    };
    if (this.isBound) {
      init.data = this.#data!;
      if (this.#files) init.files = this.#files;
    }
    const form = this.#construct(init);
    this.addFields(form, index);
    return form;
  }

  /** Add the DELETE and ORDER fields to a form (index null: the empty form). Model formsets add the key field. */
  protected addFields(form: T, index: number | null): void {
    const declared = form.declared as Record<string, AnyFormField>;
    if (this.canOrder) declared[ORDERING_FIELD] = new IntegerField<number | null>({ required: false, label: 'Order', widget: new NumberInput(), ...(index !== null && index < this.initialFormCount() ? { initial: index + 1 } : {}) });
    const isExtra = index === null || index >= this.initialFormCount();
    if (this.canDelete && (!isExtra || this.#options.canDeleteExtra !== false)) declared[DELETION_FIELD] = new BooleanField({ label: 'Delete' });
  }

  /** Whether the user checked the form's DELETE box. */
  async isDeleted(form: T): Promise<boolean> {
    if (!this.canDelete || !(DELETION_FIELD in form.declared)) return false;
    try {
      return await (form.declared as Record<string, AnyFormField>)[DELETION_FIELD]!.clean(form.rawValue(DELETION_FIELD), { initial: false }) === true;
    } catch {
      return false;
    }
  }

  /** Validate every form (deleted ones excepted) and the counts; once. False when unbound. */
  async isValid(): Promise<boolean> {
    if (!this.isBound) return false;
    return (await this.#validate()).valid;
  }

  #validate(): Promise<FormsetState<T>> {
    this.#validation ??= this.fullClean().then((state) => (this.#state = state));
    return this.#validation;
  }

  /** Check the management data, each form, the counts, then `clean()`. */
  protected async fullClean(): Promise<FormsetState<T>> {
    const errors: FormError[] = [];
    const deleted = new Set<T>();
    if (!this.#management) {
      const missing = [TOTAL_FORMS, INITIAL_FORMS].filter((name) => managementCount(this.managementForm.rawValue(name)) === null).map((name) => this.managementForm.addPrefix(name));
      errors.push(this.#error({ code: 'management_form', params: { fields: missing.join(', ') } }));
      return { valid: false, nonFormErrors: errors, deleted };
    }
    const sent = managementCount(this.managementForm.rawValue(TOTAL_FORMS))!;
    if (sent > this.absoluteMax) errors.push(this.#error({ code: 'too_many_forms_total', params: { total: sent, max: this.absoluteMax } }));
    let formsValid = true;
    let filled = 0;
    for (const [index, form] of this.forms.entries()) {
      if (await this.isDeleted(form)) {
        deleted.add(form);
        continue;
      }
      if (!(await form.isValid())) formsValid = false;
      if (index < this.initialFormCount() || form.hasChanged()) filled++;
    }
    if (this.#options.max !== undefined && filled > this.max) errors.push(this.#error({ code: 'too_many_forms', params: { max: this.max } }));
    if (this.#options.min !== undefined && filled < this.min) errors.push(this.#error({ code: 'too_few_forms', params: { min: this.min } }));
    if (formsValid && errors.length === 0) {
      try {
        await this.clean(this.forms.filter((form) => !deleted.has(form)));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(...error.issues.map((issue) => this.#error(issue)));
      }
    }
    return { valid: formsValid && errors.length === 0, nonFormErrors: errors, deleted };
  }

  /** Checks across forms (no duplicate titles...): throw ValidationError for a formset-wide error. */
  protected clean(_forms: readonly T[]): void | Promise<void> {}

  #error(issue: IssueInit): FormError {
    const params = issue.params ?? {};
    return { code: issue.code, params, message: issue.message ?? formatMessage(issue.code, params, this.#options.messages) };
  }

  /** Formset-wide errors (management data, counts, clean()). */
  nonFormErrors(): readonly FormError[] {
    return this.#state?.nonFormErrors ?? [];
  }

  /** Each form's errors, in order. */
  get errors(): FormErrors[] {
    return this.forms.map((form) => form.errors);
  }

  /** The forms whose DELETE box was checked (after `isValid()`). */
  get deletedForms(): T[] {
    const state = this.#requireValidated();
    return this.forms.filter((form) => state.deleted.has(form));
  }

  /** The kept forms that hold data (initial forms, and extra forms that were filled in), by ORDER when canOrder. */
  get keptForms(): T[] {
    const state = this.#requireValidated();
    const kept = this.forms.filter((form, index) => !state.deleted.has(form) && (index < this.initialFormCount() || form.hasChanged()));
    if (!this.canOrder) return kept;
    const order = (form: T): number => {
      const value = (form.cleanedData as Record<string, unknown>)[ORDERING_FIELD];
      return typeof value === 'number' ? value : Number.POSITIVE_INFINITY;
    };
    return kept.map((form, position) => ({ form, position })).sort((a, b) => order(a.form) - order(b.form) || a.position - b.position).map(({ form }) => form);
  }

  /** Alias of keptForms with canOrder, as in Django. */
  get orderedForms(): T[] {
    return this.keptForms;
  }

  /** The cleaned data of the kept forms (see keptForms), without DELETE and ORDER; only when valid. */
  get cleanedData(): Array<CleanedData<FieldsOf<T>>> {
    const state = this.#requireValidated();
    if (!state.valid) throw new FormInvalid(this.constructor.name || 'Formset', ['(formset)']);
    // DELETE and ORDER steer the formset; they are not part of the typed data.
    return this.keptForms.map((form) => {
      const { [DELETION_FIELD]: _delete, [ORDERING_FIELD]: _order, ...data } = form.cleanedData as Record<string, unknown>;
      return data as CleanedData<FieldsOf<T>>;
    });
  }

  #requireValidated(): FormsetState<T> {
    if (!this.#state) throw new FormNotValidated(this.constructor.name || 'Formset', this.isBound);
    return this.#state;
  }

  /** Load model choice lists of every form (and the empty form) before rendering. */
  async prepare(): Promise<this> {
    await Promise.all([...this.forms, this.emptyForm].map((form) => form.prepare()));
    return this;
  }

  get isMultipart(): boolean {
    return this.forms.some((form) => form.isMultipart) || this.emptyForm.isMultipart;
  }

  get csrfInput(): SafeHtml {
    return csrfInput(this.request);
  }

  /** Management data, each form, the CSRF field (no `<form>` tag). */
  render(templateName = this.#options.templateName ?? 'forms/formset.html'): SafeHtml {
    return markSafe(this.renderer.render(templateName, { formset: this }));
  }

  toHtml(): string {
    return this.render().val;
  }
}

/** The form type of a formset type. */
export type FormOf<S> = S extends Formset<infer T> ? T : never;


