import type { AnyField, Dialect } from '../fields/field.js';

/**
 * Stands for the value at `index` of a queryset's filter values while its
 * SQL is compiled for the compile cache (query-shape.ts): it flows through
 * the compiler where the value would, and the field that converts it
 * (`toDb`) is recorded when it is bound as a parameter. Executing a cached
 * query puts the converted values where the slots ended up.
 */
export class ParamSlot {
  readonly index: number;
  /** The field whose toDb() converts the value (null: none); undefined until bound. */
  field: AnyField | null | undefined = undefined;
  dialect: Dialect = 'sqlite';
  /** Bound twice with different fields: the compiled query cannot be reused. */
  conflict = false;

  constructor(index: number) {
    this.index = index;
  }

  bind(field: AnyField | null, dialect: Dialect): void {
    if (this.field !== undefined && this.field !== field) this.conflict = true;
    this.field = field;
    this.dialect = dialect;
  }
}
