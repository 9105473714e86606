/**
 * @atrium/forms — zod-backed forms, widgets and accessible HTML rendering,
 * formsets, pagination, model forms and generic views.
 */
export { ValidationError, FormNotValidated, FormInvalid, ChoicesNotLoaded, InvalidPage, PageNotAnInteger, EmptyPage } from './errors.js';
export { defaultMessages, formatMessage, type MessageCode, type Messages } from './messages.js';
export type { IssueInit, IssueParams, FormError } from './validation/issue.js';

export { formInput, type FormInput, type FormDataSource, type FormFilesSource } from './data/form-input.js';
export { readRequestData, type RequestData } from './data/read-request.js';
export type { QuerySetLike, ModelLike } from './data/queryset-source.js';

export { fields } from './fields/field-factories.js';
export { FormField, EMPTY, type FormFieldOptions, type Validator, type CleanContext, type AnyFormField, type FieldOutput, type Empty } from './fields/form-field.js';
export { CharField, type CharFieldOptions } from './fields/char-field.js';
export { TextField, EmailField, UrlField, SlugField, HiddenField, PasswordField, type UrlFieldOptions } from './fields/text-fields.js';
export { IntegerField, FloatField, type NumberFieldOptions } from './fields/number-fields.js';
export { DecimalField, type DecimalFieldOptions } from './fields/decimal-field.js';
export { BooleanField, NullBooleanField } from './fields/boolean-field.js';
export { ChoiceField, MultipleChoiceField, type ChoiceFieldOptions, type MultipleChoiceFieldOptions, type Choices, type ChoiceValue } from './fields/choice-field.js';
export { DateField, DateTimeField, type DateFieldOptions, type DateTimeFieldOptions } from './fields/temporal-fields.js';
export { FileField, ImageField, type FileFieldOptions } from './fields/file-field.js';
export { TimeField, UuidField, BigIntField, JsonField } from './fields/extra-fields.js';
export { detectImageFormat, imageFormatOf, type ImageFormat } from './fields/image-format.js';
export { ModelChoiceField, ModelMultipleChoiceField, type ModelChoiceFieldOptions } from './fields/model-choice-field.js';

export { Widget, type WidgetOptions, type WidgetChoice, type WidgetRenderInput } from './widgets/widget.js';
export { Input, TextInput, NumberInput, EmailInput, UrlInput, PasswordInput, HiddenInput, DateInput, DateTimeInput, TimeInput } from './widgets/input.js';
export { Textarea } from './widgets/textarea.js';
export { CheckboxInput } from './widgets/checkbox-input.js';
export { Select, SelectMultiple, type RenderedOption } from './widgets/select.js';
export { RadioSelect, CheckboxSelectMultiple } from './widgets/choice-inputs.js';
export { FileInput, ClearableFileInput, FILE_CLEARED, FILE_CONTRADICTION } from './widgets/file-input.js';

export { csrfInput, CSRF_FIELD } from './render/csrf-input.js';
export { FormRenderer, rendererFor, FORMS_TEMPLATE_DIR, type FormRendererOptions } from './render/form-renderer.js';
export type { Attrs, AttrValue, RenderedAttr } from './render/html-attrs.js';

export { form, type FormClass } from './form/define-form.js';
export {
  Form,
  type FormInit,
  type FormOptions,
  type BindOptions,
  type BindOptionsOf,
  type CleanedData,
  type InitialData,
  type FieldDeclarations,
  type FieldsOf,
  type BoundFields,
} from './form/form.js';
export { BoundField } from './form/bound-field.js';
export { FormErrors, NON_FIELD_ERRORS } from './form/form-errors.js';

export { formset, type FormsetClass } from './formsets/define-formset.js';
export {
  Formset,
  DELETION_FIELD,
  ORDERING_FIELD,
  DEFAULT_MAX_FORMS,
  type FormsetOptions,
  type FormsetInit,
  type FormConstructor,
  type FormOf,
} from './formsets/formset.js';
export { ManagementForm, TOTAL_FORMS, INITIAL_FORMS, MIN_NUM_FORMS, MAX_NUM_FORMS } from './formsets/management-form.js';

export { Paginator, type PaginationSource, type PaginatorOptions } from './pagination/paginator.js';
export { Page, type PagePosition } from './pagination/page.js';
export { elidedPageRange, ELLIPSIS, type ElidedRangeOptions } from './pagination/elided-range.js';

export { modelForm, ModelForm, type ModelFormClass, type ModelFormInit, type ModelFormOptions, type ModelFormCommonOptions } from './model-forms/model-form.js';
export { formFieldFor, isBlankAllowed, type DerivedFieldOverrides } from './model-forms/form-field-for.js';
export type { ModelFormValue, ModelFormFields, EditableFieldName, ModelFieldsOf } from './model-forms/model-form-types.js';
export { inlineFormset, InlineFormset, type InlineFormsetClass, type InlineFormsetInit, type InlineFormsetOptions, type ModelInstanceOf } from './model-forms/inline-formset.js';

export { ListView, DetailView, FormView, ModelFormView, CreateView, UpdateView, DeleteView, successUrlFor, modelTemplateName, modelContextName, type FormClassLike, type SuccessUrlConfig } from './views/index.js';
export { getObjectOr404, getListOr404 } from './shortcuts/get-object-or-404.js';
export { redirectTo, urlOf, type HasAbsoluteUrl } from './shortcuts/redirect-to.js';
