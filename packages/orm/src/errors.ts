import { AtriumError } from '@atrium/core';

/** `get()` found no row. Each model also has its own subclass as `Model.DoesNotExist`. */
export class DoesNotExist extends AtriumError {
  constructor(message: string) {
    super('E_DOES_NOT_EXIST', message);
  }
}

/** `get()` found more than one row. */
export class MultipleObjectsReturned extends AtriumError {
  constructor(message: string) {
    super('E_MULTIPLE_OBJECTS_RETURNED', message);
  }
}

export type IntegrityKind = 'unique' | 'foreignKey' | 'notNull' | 'check' | 'protect';

/** The database refused a write: unique, foreign key, not-null or check constraint (or an on-delete PROTECT). */
export class IntegrityError extends AtriumError {
  readonly kind: IntegrityKind;
  /** Constraint name when the database reports it. */
  readonly constraint: string | null;
  /** Model field names involved, when known. */
  readonly fields: readonly string[];
  constructor(kind: IntegrityKind, message: string, options: { constraint?: string | null; fields?: readonly string[]; cause?: unknown } = {}) {
    super(`E_INTEGRITY_${kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, message, { cause: options.cause });
    this.kind = kind;
    this.constraint = options.constraint ?? null;
    this.fields = options.fields ?? [];
  }
}

/** Field values failed validation before reaching the database. `errors` maps field name (or '__all__') to messages. */
export class ValidationError extends AtriumError {
  readonly errors: Readonly<Record<string, readonly string[]>>;
  constructor(errors: Record<string, readonly string[]>) {
    const summary = Object.entries(errors)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
    super('E_VALIDATION', `Validation failed: ${summary}`);
    this.errors = errors;
  }
}

/** A model, field or lookup name is wrong (usually from untyped input). Names the closest valid one. */
export class FieldError extends AtriumError {
  constructor(message: string) {
    super('E_FIELD_ERROR', message);
  }
}

/** Strict mode: a relation was touched that was not loaded with selectRelated()/prefetchRelated(). */
export class RelationNotLoaded extends AtriumError {
  constructor(message: string) {
    super('E_RELATION_NOT_LOADED', message);
  }
}

/** The database could not be reached (server down, pool exhausted). Safe to answer with 503. */
export class DatabaseUnavailable extends AtriumError {
  readonly status = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_DATABASE_UNAVAILABLE', message, options);
  }
}

/** Misuse of the API that the types could not catch. */
export class OrmUsageError extends AtriumError {
  constructor(message: string) {
    super('E_ORM_USAGE', message);
  }
}
