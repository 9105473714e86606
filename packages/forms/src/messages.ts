import type { IssueParams } from './validation/issue.js';

/**
 * Default message for each issue code; `{name}` is replaced by the issue's
 * parameter `name`. Kept apart from the validation code (which only reports
 * codes and parameters) so a project can reword or translate them through
 * the `messages` option of a field or a form.
 */
export const defaultMessages = {
  required: 'This field is required.',
  invalid: 'Enter a valid value.',
  invalid_type: 'Enter a valid value.',
  invalid_integer: 'Enter a whole number.',
  invalid_number: 'Enter a number.',
  invalid_email: 'Enter a valid email address.',
  invalid_url: 'Enter a valid URL.',
  invalid_date: 'Enter a valid date.',
  invalid_datetime: 'Enter a valid date and time.',
  invalid_slug: 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.',
  invalid_boolean: 'Select true or false.',
  invalid_time: 'Enter a valid time.',
  invalid_uuid: 'Enter a valid UUID.',
  invalid_json: 'Enter valid JSON.',
  invalid_choice: 'Select a valid choice. {value} is not one of the available choices.',
  invalid_list: 'Enter a list of values.',
  invalid_pk_value: '“{pk}” is not a valid value.',
  null_characters: 'Null characters are not allowed.',
  invalid_unicode: 'Enter text without invalid characters.',
  max_length: 'Ensure this value has at most {max} characters (it has {length}).',
  min_length: 'Ensure this value has at least {min} characters (it has {length}).',
  max_value: 'Ensure this value is less than or equal to {max}.',
  min_value: 'Ensure this value is greater than or equal to {min}.',
  max_digits: 'Ensure that there are no more than {max} digits in total.',
  max_decimal_places: 'Ensure that there are no more than {max} decimal places.',
  max_whole_digits: 'Ensure that there are no more than {max} digits before the decimal point.',
  max_choices: 'Select at most {max} choices.',
  min_choices: 'Select at least {min} choices.',
  missing_file: 'No file was submitted. Check the encoding type on the form.',
  empty_file: 'The submitted file is empty.',
  invalid_filename: 'The submitted file has no usable name.',
  file_too_large: 'Ensure this file is at most {max} bytes (it has {size}).',
  invalid_extension: 'File extension “{extension}” is not allowed. Allowed extensions are: {allowed}.',
  invalid_image: 'Upload a valid image (PNG, JPEG, GIF or WebP). The file you uploaded was either not an image or a corrupted image.',
  contradiction: 'Either submit a file or check the clear checkbox, not both.',
  unique: '{model} with this {field} already exists.',
  unique_together: '{model} with this {fields} already exists.',
  management_form: 'ManagementForm data is missing or has been tampered with. Missing fields: {fields}.',
  too_many_forms: 'Please submit at most {max} forms.',
  too_few_forms: 'Please submit at least {min} forms.',
  too_many_forms_total: 'The number of forms ({total}) exceeds the absolute maximum of {max}.',
} as const;

/** Issue codes with a default message. Custom codes are allowed too (give a message). */
export type MessageCode = keyof typeof defaultMessages;

/** Overrides of the message table: code -> text with `{param}` placeholders. */
export type Messages = Readonly<Partial<Record<MessageCode, string>> & Record<string, string>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The message for an issue: the first table (from most to least specific)
 * that knows the code, with placeholders filled; unknown parameters stay as
 * written. Falls back to the generic 'invalid' text for an unknown code.
 * @example formatMessage('max_length', { max: 5, length: 7 }) // 'Ensure this value has at most 5 characters (it has 7).'
 */
export function formatMessage(code: string, params: IssueParams = {}, ...tables: ReadonlyArray<Messages | undefined>): string {
  let template: string | undefined;
  for (const table of tables) {
    if (table && Object.hasOwn(table, code)) {
      template = table[code];
      break;
    }
  }
  template ??= Object.hasOwn(defaultMessages, code) ? defaultMessages[code as MessageCode] : defaultMessages.invalid;
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(params, name) ? formatParam(params[name]) : whole));
}

function formatParam(value: IssueParams[string] | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Parameters may echo user input (invalid_choice's value): keep messages short.
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
