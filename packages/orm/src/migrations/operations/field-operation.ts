import type { FieldSpec } from '../state/field-spec.js';
import type { SpecValue } from '../state/spec-value.js';
import { code, type Code } from '../writer/code.js';
import { fieldCode } from '../writer/field-code.js';
import { ModelOperation } from './model-operation.js';

/** What AddField and AlterField are built from (and written back to in a migration file). */
export interface FieldOperationInput {
  /** Model name ('Post'). */
  readonly model: string;
  readonly name: string;
  /** The field as it is after the operation. */
  readonly field: FieldSpec;
  /**
   * One-off value for existing rows when the column becomes NOT NULL without
   * a default (asked by makemigrations); not part of the field afterwards.
   */
  readonly backfill?: SpecValue;
}

/** An operation that sets one field of a model to a full field spec (Django's FieldOperation). */
export abstract class FieldOperation extends ModelOperation {
  readonly modelName: string;
  readonly name: string;
  readonly field: FieldSpec;
  readonly backfill: SpecValue | undefined;

  constructor(input: FieldOperationInput) {
    super();
    this.modelName = input.model;
    this.name = input.name;
    this.field = input.field;
    this.backfill = input.backfill;
  }

  protected override relatedSpecs(): readonly FieldSpec[] {
    return [this.field];
  }

  /** The input of a copy of this operation with other values (the backfill carried over). */
  protected inputWith(change: { name?: string; field?: FieldSpec }): FieldOperationInput {
    const input = { model: this.modelName, name: change.name ?? this.name, field: change.field ?? this.field };
    return this.backfill === undefined ? input : { ...input, backfill: this.backfill };
  }

  /** `ops.<fn>({ model, name, field, backfill })`, as the migration writer prints it. */
  protected callCode(fn: string): Code {
    return code.call(
      fn,
      code.object({
        model: code.value(this.modelName),
        name: code.value(this.name),
        field: fieldCode(this.field),
        backfill: this.backfill === undefined ? undefined : code.value(this.backfill),
      }),
    );
  }
}
