/**
 * @atrium/orm — models declared once in TypeScript; typed, lazy querysets on
 * Kysely; relations; transactions; SQLite and PostgreSQL.
 */
export * from './errors.js';
export { f } from './fields/f.js';
export { Field, type FieldKind, type FieldOptions, type FieldValidator, type FieldValue, type AnyField, type Dialect } from './fields/field.js';
export { AutoField } from './fields/auto-field.js';
export { UuidField } from './fields/uuid-field.js';
export { StringField, TextField, EmailField, UrlField, SlugField } from './fields/string-fields.js';
export { IntegerField, BigIntField, FloatField, DecimalField } from './fields/number-fields.js';
export { BooleanField } from './fields/boolean-field.js';
export { DateField, DateTimeField, TimeField } from './fields/temporal-fields.js';
export { JsonField } from './fields/json-field.js';
export { EnumField } from './fields/enum-field.js';
export { BinaryField } from './fields/binary-field.js';
export { ForeignKey, OneToOneField, ManyToManyField, type OnDelete, type ForeignKeyOptions, type ManyToManyOptions } from './fields/relation-fields.js';
export { model, type Model, type AnyModel, type ModelOptions, type OrderKey, type PkValue } from './model/model.js';
export type { ModelMeta, Constraint, UniqueConstraint, CheckConstraint, IndexDefinition, ReverseRelation } from './model/model-meta.js';
export type { Infer, Instance, InsertData, UpdateData, Fields, ModelRegistry, RowValues, ReverseRelated, ManyRelated } from './model/model-types.js';
export { getModel, hasModel, allModels, clearModelRegistry } from './model/model-registry.js';

// Relations: prefetching, strict loading (N+1 protection), deletion, many-to-many join models.
export { Prefetch, prefetchRelated, type PrefetchLookup } from './relations/prefetch.js';
export { isStrict, setStrictMode, applyStrictModeSettings } from './relations/strict-mode.js';
export { deleteInstances, type DeletionResult, type DeleteOptions } from './relations/deletion.js';
export { throughModel, manyToManyLink, ensureJoinModels, type ManyToManyLink } from './relations/many-to-many.js';
export { ensureRelations } from './relations/resolve-relations.js';

// Databases: connections, transactions, error translation, query counting, schema editor, fixtures.
export { configureDatabases, connection, closeDatabases, hasConnection, databaseAliases, db, sql, type Connection, type ConfigureOptions } from './db/connections.js';
export { atomic, onCommit, executor, inTransaction, type AtomicOptions, type IsolationLevel } from './db/transaction.js';
export { atomicRequests, atomicRequestsFor } from './db/atomic-requests.js';
export { translateDbError } from './db/errors.js';
export { queryCount, captureQueries, assertNumQueries, QueryCountMismatch, type CapturedQuery } from './db/query-counter.js';
export { SchemaEditor, sqlForCreateModel, type CreateModelOptions } from './schema/schema-editor.js';
export { createTables, dropTables } from './schema/create-tables.js';
export { dumpData } from './testing/dump-data.js';
export { loadData } from './testing/load-data.js';
export type { FixtureObject, FixtureValue } from './testing/fixture-values.js';

// Queries: managers, querysets, filters, expressions, aggregates, instances, signals.
export { Manager } from './query/manager.js';
export { QuerySet, type IteratorOptions } from './query/query-set.js';
export { Q, type Condition } from './query/q.js';
export type { QNode, WhereInput } from './query/where-input.js';
export type { Where, ComparisonLookups, TextLookups, DateLookups, DateTimeLookups, JsonLookups, PartCondition, FieldCondition, RelationCondition } from './query/where.js';
export { F, Count, Sum, Avg, Min, Max, Expression, type ExpressionKind, type AggregateOptions, type Operand } from './query/expressions.js';
export type { AnnotationResult, ExpressionResult, ValuesRow, ValuesTuple, AllValues, UpdateValues, LookupValues, ColumnName, ValuePath, OrderPath, ExpressionFor } from './query/result-types.js';
export type { FieldPath, AggregatePath, RelatedPath, PrefetchPath, PathValue, ReverseRelationsOf } from './query/type-paths.js';
export { buildInstance, modelOf } from './model/instance.js';
export { signals, ModelSignal, type SaveInfo, type DeleteInfo } from './signals.js';

// --- Schema alterations (used by migrations; usable directly for one-off scripts) ---
export { withSchemaEditor, type SchemaEditorScope } from './schema/with-schema-editor.js';
export { MigrationEditor, type MigrationEditorOptions, type AlterOptions, type IndexInput } from './schema/migration-editor.js';
export type { SchemaEffect } from './schema/schema-effect.js';

// The 'database' cache backend (CACHES BACKEND 'database', registered by the orm app).
export { DatabaseCacheStore, type DatabaseCacheStoreOptions } from './cache/database-cache-store.js';
export { createCacheTable } from './cache/create-cache-table.js';
export { databaseCacheBackend, DEFAULT_CACHE_TABLE } from './cache/database-cache-backend.js';
