import type { UploadedFile } from '@atrium/core';
import { form, type AnyFormField, type FormError } from '../../src/index.js';

export type CleanOutcome = { ok: true; value: unknown } | { ok: false; errors: readonly FormError[]; codes: string[] };

/** Bind `raw` (a JSON-like value, or files) to a one-field form named `x` and validate it. */
export async function cleanOne(field: AnyFormField, raw: unknown, options: { files?: UploadedFile[]; initial?: unknown } = {}): Promise<CleanOutcome> {
  const OneField = form({ x: field });
  const data: Record<string, unknown> = raw === undefined ? {} : { x: raw };
  const instance = new OneField({
    data,
    ...(options.files ? { files: new Map([['x', options.files]]) } : {}),
    ...(options.initial !== undefined ? { initial: { x: options.initial } } : {}),
  });
  if (await instance.isValid()) return { ok: true, value: instance.cleanedData.x };
  const errors = instance.errors.get('x');
  return { ok: false, errors, codes: errors.map((e) => e.code) };
}

/** The cleaned value, failing the test with the error codes when invalid. */
export async function cleaned(field: AnyFormField, raw: unknown, options?: { files?: UploadedFile[]; initial?: unknown }): Promise<unknown> {
  const outcome = await cleanOne(field, raw, options);
  if (!outcome.ok) throw new Error(`expected valid, got ${outcome.codes.join(', ')}`);
  return outcome.value;
}

/** The error codes, failing the test when the value was valid. */
export async function codes(field: AnyFormField, raw: unknown, options?: { files?: UploadedFile[]; initial?: unknown }): Promise<string[]> {
  const outcome = await cleanOne(field, raw, options);
  if (outcome.ok) throw new Error(`expected errors, got value ${JSON.stringify(outcome.value)}`);
  return outcome.codes;
}
