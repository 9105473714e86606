import { Field, type FieldOptions } from './field.js';

export interface EnumFieldOptions<V extends string> extends Omit<FieldOptions<V>, 'choices'> {
  /** Labels for the values, for forms and the admin. */
  labels?: Partial<Record<V, string>>;
}

/** One of a fixed set of strings; the TypeScript type is the union of the values. */
export class EnumField<V extends string = string, N extends boolean = boolean, O extends boolean = boolean> extends Field<V, N, O> {
  readonly kind = 'enum' as const;
  readonly values: readonly V[];
  constructor(values: readonly V[], options: EnumFieldOptions<V> = {}) {
    const { labels, ...rest } = options;
    super({ ...rest, choices: values.map((v) => [v, labels?.[v] ?? v] as const) });
    if (values.length === 0) throw new TypeError('f.enum() needs at least one value');
    this.values = values;
  }
  dbType(): string {
    return `varchar(${Math.max(...this.values.map((v) => v.length))})`;
  }
}
