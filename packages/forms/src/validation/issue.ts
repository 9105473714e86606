/**
 * Validation results are data: an issue has a stable `code` and the
 * parameters of the message; the text comes from a messages table
 * (messages.ts), overridable per field and per form.
 */
export type IssueParams = Readonly<Record<string, string | number | bigint | boolean | null>>;

/** What a validator or a clean() hook reports. `message` overrides the table's text. */
export interface IssueInit {
  code: string;
  params?: IssueParams;
  message?: string;
}

/** One error as the form exposes it: the code, its parameters and the resolved message. */
export interface FormError {
  readonly code: string;
  readonly params: IssueParams;
  readonly message: string;
}
