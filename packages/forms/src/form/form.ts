import type { HttpRequest } from '@atrium/core';
import { markSafe, type SafeHtml } from '@atrium/templates';
import { csrfInput } from '../render/csrf-input.js';
import { formInput, EMPTY_INPUT, type FormDataSource, type FormFilesSource, type FormInput } from '../data/form-input.js';
import { readRequestData } from '../data/read-request.js';
import { FormInvalid, FormNotValidated, ValidationError } from '../errors.js';
import type { AnyFormField, FieldOutput } from '../fields/form-field.js';
import { formatMessage, type Messages } from '../messages.js';
import { rendererFor, type FormRenderer } from '../render/form-renderer.js';
import { SafeRenderable } from '../render/safe-renderable.js';
import type { FormError, IssueInit } from '../validation/issue.js';
import type { WidgetChoice } from '../widgets/widget.js';
import { BoundField } from './bound-field.js';
import { FormErrors, NON_FIELD_ERRORS } from './form-errors.js';

/** A form's field declarations. */
export type FieldDeclarations = Record<string, AnyFormField>;

/** The cleaned values of a valid form, typed from its declaration. */
export type CleanedData<F extends FieldDeclarations> = { -readonly [K in keyof F]: FieldOutput<F[K]> };

/** Initial values: anything the fields can show (a model choice takes an object or a key). */
export type InitialData<F extends FieldDeclarations> = { [K in keyof F]?: FieldOutput<F[K]> | unknown };

/** The bound field of each declared field. */
export type BoundFields<F extends FieldDeclarations> = { readonly [K in keyof F]: BoundField };

/** The declarations of a form type. */
export type FieldsOf<T> = T extends Form<infer F> ? F : never;

export interface FormInit<F extends FieldDeclarations = FieldDeclarations> {
  /** Submitted data; a form given data (even empty) is bound and can be validated. */
  data?: FormDataSource | null;
  files?: FormFilesSource;
  initial?: InitialData<F>;
  /** Prefix of every HTML name (`post` -> `post-title`), to put several forms in one `<form>`. */
  prefix?: string;
  /** The request: supplies the CSRF token and the project's template folders. */
  request?: HttpRequest;
  renderer?: FormRenderer;
  /** Id pattern of the elements, `{name}` replaced by the HTML name (default 'id_{name}'); false for no ids. */
  autoId?: string | false;
  /** An untouched form is valid and empty (formsets' extra forms). */
  emptyPermitted?: boolean;
  /** Put `required` on the elements of required fields (default true). */
  useRequiredAttribute?: boolean;
}

/** Options of `bind()`: everything the constructor takes but the data, which comes from the request. */
export type BindOptionsOf<I> = Omit<I, 'data' | 'files' | 'request'> & {
  /** Bind a GET request's query string (search forms); by default GET and HEAD give an unbound form. */
  query?: boolean;
};

/** Options of a plain form's `bind()`. */
export type BindOptions<F extends FieldDeclarations> = BindOptionsOf<FormInit<F>>;

/** Form-wide options of `form()`. */
export interface FormOptions<F extends FieldDeclarations> {
  /** Name used in error messages (a subclass's own name wins); default 'Form'. */
  name?: string;
  /** Cross-field validation, run once every field is valid; see Form.clean. */
  clean?: (data: CleanedData<F>, form: Form<F>) => void | CleanedData<F> | Promise<void | CleanedData<F>>;
  /** Message overrides for every field of the form. */
  messages?: Messages;
  /** Template of the whole form (default 'forms/div.html'). */
  templateName?: string;
  /** Template of each field (default 'forms/field.html'). */
  fieldTemplateName?: string;
}

interface Validated<F extends FieldDeclarations> {
  readonly errors: FormErrors;
  readonly cleaned: Partial<CleanedData<F>>;
}

/**
 * A form instance: bound data, validation, errors and rendering. Declare
 * forms with `form({...})`; subclass the result to add `clean()`.
 * @example
 * class SignupForm extends form({ password: fields.password(), confirm: fields.password() }) {
 *   override clean(data: CleanedData<FieldsOf<SignupForm>>) {
 *     if (data.password !== data.confirm) this.addError('confirm', { code: 'mismatch', message: 'The passwords differ.' });
 *   }
 * }
 * const signup = await SignupForm.bind(request);
 * if (await signup.isValid()) await createUser(signup.cleanedData.password);
 */
export class Form<F extends FieldDeclarations = FieldDeclarations> extends SafeRenderable {
  /** The field declarations (set by `form()`). */
  static declaredFields: FieldDeclarations = {};
  /** The options given to `form()`. */
  static formOptions: FormOptions<FieldDeclarations> = {};

  /** This form's fields: a copy of the declarations that a constructor may adjust (`this.declared.author = ...`). */
  readonly declared: F;
  readonly isBound: boolean;
  readonly prefix: string | undefined;
  readonly initial: InitialData<F>;
  readonly request: HttpRequest | undefined;
  readonly autoId: string | false;
  readonly emptyPermitted: boolean;
  readonly useRequiredAttribute: boolean;
  /** Set by formsets: the CSRF field is rendered once for the whole formset. */
  inFormset = false;
  readonly #input: FormInput;
  readonly #renderer: FormRenderer | undefined;
  readonly #choices = new Map<string, readonly WidgetChoice[]>();
  #validation: Promise<Validated<F>> | undefined;
  #validated: Validated<F> | undefined;
  #extraErrors: Array<[string, IssueInit]> = [];
  #fields: BoundFields<F> | undefined;
  readonly #initialCache = new Map<string, unknown>();

  constructor(init: FormInit<F> = {}) {
    super();
    const ctor = this.constructor as typeof Form;
    this.declared = { ...ctor.declaredFields } as F;
    this.isBound = init.data !== undefined && init.data !== null;
    this.#input = this.isBound ? formInput(init.data!, init.files) : EMPTY_INPUT;
    this.prefix = init.prefix;
    this.initial = { ...init.initial } as InitialData<F>;
    this.request = init.request;
    this.#renderer = init.renderer;
    this.autoId = init.autoId ?? 'id_{name}';
    this.emptyPermitted = init.emptyPermitted === true;
    this.useRequiredAttribute = init.useRequiredAttribute ?? true;
  }

  /**
   * A form bound to the request's data: the body of a POST/PUT/PATCH
   * (urlencoded, multipart with files, or JSON), the query string of a GET
   * with `{ query: true }`; unbound for a plain GET (the first display).
   * @example const form = await ContactForm.bind(request);
   */
  static override async bind<T extends Form, I extends FormInit<FieldsOf<T>> = FormInit<FieldsOf<T>>>(
    this: new (init?: I) => T,
    request: HttpRequest,
    options: BindOptionsOf<I> = {} as BindOptionsOf<I>,
  ): Promise<T> {
    const { query, ...rest } = options;
    const init = rest as unknown as I;
    const readsBody = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(request.method);
    if (!readsBody && !query) return new this({ ...init, request });
    const { data, files } = readsBody ? await readRequestData(request) : { data: request.query, files: undefined };
    return new this({ ...init, data, files, request });
  }

  /** The renderer: the given one, else the request's project's, else the package templates alone. */
  get renderer(): FormRenderer {
    return this.#renderer ?? rendererFor(this.request?.app);
  }

  /** `post-title` for `title` with prefix `post`. */
  addPrefix(name: string): string {
    return this.prefix ? `${this.prefix}-${name}` : name;
  }

  /** The bound field of each field, for templates and code: `form.fields.title.errors`. */
  get fields(): BoundFields<F> {
    if (!this.#fields) {
      const out: Record<string, BoundField> = {};
      for (const [name, field] of Object.entries(this.declared)) out[name] = new BoundField(this as unknown as Form, field, name);
      this.#fields = out as BoundFields<F>;
    }
    return this.#fields;
  }

  /** The bound fields in declaration order. */
  get fieldList(): BoundField[] {
    return Object.values(this.fields);
  }

  visibleFields(): BoundField[] {
    return this.fieldList.filter((field) => !field.isHidden);
  }

  hiddenFields(): BoundField[] {
    return this.fieldList.filter((field) => field.isHidden);
  }

  /** True when a field needs a multipart body (`<form enctype="multipart/form-data">`). */
  get isMultipart(): boolean {
    return Object.values(this.declared).some((field) => field.widget.needsMultipart);
  }

  /** The initial value of a field: the form's `initial`, else the field's own. */
  initialFor(name: string): unknown {
    if (Object.hasOwn(this.initial, name)) return (this.initial as Record<string, unknown>)[name];
    // A function initial (`() => new Date()`) is called once per form, so rendering and change detection agree.
    if (!this.#initialCache.has(name)) this.#initialCache.set(name, this.declared[name]?.initialValue());
    return this.#initialCache.get(name);
  }

  /** The submitted data (empty for an unbound form), for widgets' `valueFromData()`. */
  get boundInput(): FormInput {
    return this.#input;
  }

  /** The raw submitted value of a field, as its widget reads it. */
  rawValue(name: string): unknown {
    const field = this.declared[name];
    if (!field || !this.isBound) return undefined;
    return field.widget.valueFromData(this.#input, this.addPrefix(name));
  }

  /** Names of the fields whose submitted value differs from the initial one. */
  get changedData(): string[] {
    if (!this.isBound) return [];
    return Object.entries(this.declared)
      .filter(([name, field]) => !field.disabled && field.hasChanged(this.initialFor(name), this.rawValue(name)))
      .map(([name]) => name);
  }

  hasChanged(): boolean {
    return this.changedData.length > 0;
  }

  /**
   * Validate the bound data once (later calls reuse the result). False for
   * an unbound form. Never throws for bad input: that becomes `errors`.
   */
  async isValid(): Promise<boolean> {
    if (!this.isBound) return false;
    const { errors } = await this.validate();
    return errors.isEmpty;
  }

  /** Run the validation (once) and return its result. */
  protected validate(): Promise<Validated<F>> {
    this.#validation ??= this.fullClean().then((result) => (this.#validated = result));
    return this.#validation;
  }

  /** The errors found by `isValid()` (none before it ran). */
  get errors(): FormErrors {
    // A fresh empty list: nothing added to it can leak into other forms.
    return this.#validated?.errors ?? new FormErrors();
  }

  /** The form-wide errors (from `clean()` or `addError(null, ...)`). */
  nonFieldErrors(): readonly FormError[] {
    return this.errors.get(NON_FIELD_ERRORS);
  }

  /**
   * The cleaned, typed values. Only after `await isValid()` returned true;
   * throws FormNotValidated before, FormInvalid when the form has errors.
   */
  get cleanedData(): CleanedData<F> {
    const name = this.constructor.name || 'Form';
    if (!this.#validated) throw new FormNotValidated(name, this.isBound);
    if (!this.#validated.errors.isEmpty) throw new FormInvalid(name, this.#validated.errors.fields());
    return this.#validated.cleaned as CleanedData<F>;
  }

  /**
   * Add an error to a field (null: to the form). During validation (in
   * `clean()`) it also removes the field from cleanedData; afterwards it
   * marks the validated form invalid.
   */
  addError(field: (keyof F & string) | null, error: string | IssueInit): void {
    const issue: IssueInit = typeof error === 'string' ? { code: 'invalid', message: error } : error;
    const target = field ?? NON_FIELD_ERRORS;
    if (this.#validated) this.#record(this.#validated, target, issue);
    else this.#extraErrors.push([target, issue]);
  }

  /** True when the field (NON_FIELD_ERRORS for the form) has an error, optionally of this code. */
  hasError(field: string, code?: string): boolean {
    return this.errors.has(field, code);
  }

  /**
   * Cross-field validation, run after every field is valid; receives the
   * cleaned data, may return new data, call `addError()`, or throw
   * ValidationError (a form-wide error). Calls the `clean` option by default.
   */
  clean(data: CleanedData<F>): void | CleanedData<F> | Promise<void | CleanedData<F>> {
    const hook = (this.constructor as typeof Form).formOptions.clean as FormOptions<F>['clean'];
    return hook?.(data, this);
  }

  /** Runs after clean(), even with errors (model forms build the instance and check uniqueness here). */
  protected async postClean(_cleaned: Partial<CleanedData<F>>, _errors: FormErrors): Promise<void> {}

  async #fullCleanFields(errors: FormErrors): Promise<Partial<CleanedData<F>>> {
    const cleaned: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.declared)) {
      const initial = this.initialFor(name);
      const raw = field.disabled ? field.formatValue(initial) : this.rawValue(name);
      try {
        cleaned[name] = await field.clean(raw, { initial });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const issue of error.issues) errors.add(name, this.#toError(name, issue));
      }
    }
    return cleaned as Partial<CleanedData<F>>;
  }

  /** Clean every field, then the form; collect errors. Override `clean()`/`postClean()` rather than this. */
  protected async fullClean(): Promise<Validated<F>> {
    const errors = new FormErrors();
    const state: Validated<F> = { errors, cleaned: {} };
    if (this.emptyPermitted && !this.hasChanged()) return state;
    const cleaned = await this.#fullCleanFields(errors);
    (state as { cleaned: Partial<CleanedData<F>> }).cleaned = cleaned;
    this.#validated = state;
    this.#flushExtraErrors(state);
    if (errors.isEmpty) {
      try {
        const result = await this.clean(cleaned as CleanedData<F>);
        if (result) (state as { cleaned: Partial<CleanedData<F>> }).cleaned = result;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const issue of error.issues) this.#record(state, NON_FIELD_ERRORS, issue);
      }
    }
    await this.postClean(state.cleaned, errors);
    return state;
  }

  #flushExtraErrors(state: Validated<F>): void {
    for (const [field, issue] of this.#extraErrors) this.#record(state, field, issue);
    this.#extraErrors = [];
  }

  #record(state: Validated<F>, field: string, issue: IssueInit): void {
    state.errors.add(field, this.#toError(field, issue));
    if (field !== NON_FIELD_ERRORS) delete (state.cleaned as Record<string, unknown>)[field];
  }

  #toError(field: string, issue: IssueInit): FormError {
    const params = issue.params ?? {};
    const fieldMessages = this.declared[field]?.messages;
    const formMessages = (this.constructor as typeof Form).formOptions.messages;
    const message = issue.message ?? formatMessage(issue.code, params, fieldMessages, formMessages);
    return { code: issue.code, params, message };
  }

  /**
   * Load what rendering needs from the database (model choice lists) and
   * return the form. Call it before rendering a form with model choice
   * fields; generic views do.
   */
  async prepare(): Promise<this> {
    const lazy = Object.entries(this.declared).filter(([name, field]) => field.hasLazyChoices && !this.#choices.has(name));
    const loaded = await Promise.all(lazy.map(async ([, field]) => field.loadChoices()));
    lazy.forEach(([name], index) => this.#choices.set(name, loaded[index] ?? []));
    return this;
  }

  /** Choices loaded by `prepare()` for a field, or undefined. */
  loadedChoices(name: string): readonly WidgetChoice[] | undefined {
    return this.#choices.get(name);
  }

  /** The CSRF hidden input when the request carries a token (and the form is not inside a formset). */
  get csrfInput(): SafeHtml {
    return this.inFormset ? markSafe('') : csrfInput(this.request);
  }

  /** Errors of hidden fields, shown at the top ("(Hidden field id) ..."), since hidden fields show none. */
  hiddenFieldErrors(): string[] {
    return this.hiddenFields().flatMap((field) => field.errors.map((message) => `(Hidden field ${field.name}) ${message}`));
  }

  get templateName(): string {
    return (this.constructor as typeof Form).formOptions.templateName ?? 'forms/div.html';
  }

  get fieldTemplateName(): string {
    return (this.constructor as typeof Form).formOptions.fieldTemplateName ?? 'forms/field.html';
  }

  /** The form's fields as HTML (no `<form>` tag; the CSRF input included when there is a token). */
  render(templateName = this.templateName): SafeHtml {
    return markSafe(this.renderer.render(templateName, { form: this }));
  }

  /** The fields wrapped in `<div>`s (the default template). */
  asDiv(): SafeHtml {
    return this.render('forms/div.html');
  }

  toHtml(): string {
    return this.render().val;
  }
}
