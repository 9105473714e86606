import { QueryDict, type UploadedFile } from '@atrium/core';

/** Data a form may be bound to: a QueryDict (urlencoded/multipart), a parsed JSON object, or a Map. */
export type FormDataSource = QueryDict | ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/** Uploaded files by field name, as `request.files()` gives them. */
export type FormFilesSource = ReadonlyMap<string, readonly UploadedFile[]>;

/**
 * Uniform, read-only access to submitted data, whatever it was parsed from.
 * Lookups never touch an object's prototype: a `__proto__` or `constructor`
 * key is plain data, and a name that was not sent is simply absent.
 */
export interface FormInput {
  /** True when the field name was sent at all. */
  has(name: string): boolean;
  /** The value for a scalar field: the last value of a repeated form key; a JSON value as it is (maybe an array or object). */
  value(name: string): unknown;
  /** The values of a multi-valued field: every value of a form key; a JSON array as it is, a JSON scalar as one item. */
  values(name: string): unknown[];
  /** Files uploaded under the name. */
  files(name: string): readonly UploadedFile[];
}

const NO_FILES: readonly UploadedFile[] = Object.freeze([]);

/**
 * Wrap bound data and files in a FormInput.
 * @example formInput(QueryDict.parse('a=1&a=2')).values('a') // ['1', '2']
 */
export function formInput(data: FormDataSource, files?: FormFilesSource): FormInput {
  const fileLookup = (name: string): readonly UploadedFile[] => files?.get(name) ?? NO_FILES;
  if (data instanceof QueryDict) {
    return {
      has: (name) => data.has(name),
      value: (name) => data.get(name),
      values: (name) => data.getAll(name),
      files: fileLookup,
    };
  }
  const get = data instanceof Map ? (name: string) => (data as ReadonlyMap<string, unknown>).get(name) : (name: string) => ownValue(data as Readonly<Record<string, unknown>>, name);
  const has = data instanceof Map ? (name: string) => (data as ReadonlyMap<string, unknown>).has(name) : (name: string) => Object.hasOwn(data, name);
  return {
    has,
    value: get,
    values: (name) => {
      const value = get(name);
      if (value === undefined) return [];
      return Array.isArray(value) ? value : [value];
    },
    files: fileLookup,
  };
}

function ownValue(data: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(data, name) ? data[name] : undefined;
}

/** Input with nothing in it: what an unbound form reads. */
export const EMPTY_INPUT: FormInput = formInput(new QueryDict());
