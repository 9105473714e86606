import { Field, type Dialect } from './field.js';

/** Raw bytes: `bytea` on PostgreSQL, blob on SQLite; values are Buffers. */
export class BinaryField<N extends boolean = boolean, O extends boolean = boolean> extends Field<Buffer, N, O> {
  readonly kind = 'binary' as const;
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'bytea' : 'blob';
  }
  override fromDb(raw: unknown): Buffer {
    return Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
  }
  protected override validateValue(value: Buffer): string[] {
    return value instanceof Uint8Array ? [] : ['Expected a Buffer.'];
  }
}
