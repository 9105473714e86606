import type { QueryDict } from '../query-dict.js';
import type { UploadedFile } from '../uploaded-file.js';

/** What `request.form()` gives: text fields, and uploaded files by field name. */
export interface FormData {
  fields: QueryDict;
  files: Map<string, UploadedFile[]>;
}
