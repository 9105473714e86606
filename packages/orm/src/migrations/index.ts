/**
 * @atrium/orm/migrations — what migration files import (`migration`, `ops`,
 * `f`, `Q`, `F`), plus the machinery behind makemigrations and migrate:
 * project state, operations, autodetector, questioners, writer.
 */
export { migration, Migration, type MigrationInput, type MigrationDependency } from './migration.js';
export { ops } from './operations/index.js';
export * from './operations/index.js';
export { f } from './state/spec-builders.js';
export { Q } from '../query/q.js';
export { F } from '../query/expressions.js';

export { ProjectState } from './state/project-state.js';
export { HistoricalModels } from './state/historical-models.js';
export { modelState, modelStateFromModel, modelKey, defaultTable, type ModelState, type ModelStateOptions, type ModelStateInput } from './state/model-state.js';
export { fieldToSpec, specToField, specsEqual, specColumn, type FieldSpec, type FieldSpecOptions, type ModelResolver } from './state/field-spec.js';
export { valuesEqual, isSpecValue, type SpecValue } from './state/spec-value.js';
export type { MigrationSchemaEditor } from './migration-schema-editor.js';

export { Autodetector, type ChangesOptions } from './autodetector/autodetector.js';
export type { MigrationLeaves } from './autodetector/build-migrations.js';
export { optimize } from './optimizer.js';
export { suggestMigrationName, migrationNumber } from './migration-name.js';
export type { Questioner } from './questioner/questioner.js';
export { InteractiveQuestioner } from './questioner/interactive-questioner.js';
export { NonInteractiveQuestioner, type NonInteractiveAnswers } from './questioner/non-interactive-questioner.js';
export { parseAnswerValue } from './questioner/answer-value.js';
export { writeMigration, migrationPath, type WriteOptions } from './writer.js';

export * from './errors.js';

// makemigrations as functions (the command is a thin layer over them).
export { makeMigrations, mergeMigrations, type MakeMigrationsOptions, type MergeOptions, type MadeMigration, type MadeMerge } from './make-migrations.js';
export { loadDeclaredModels, type DeclaredModels } from './declared-models.js';

// Loading and applying (engineer B's modules): loader, graph, executor, plans, SQL preview, safety linter.
export { MigrationLoader, migrationFiles, type MigrationApp, type LoadOptions } from './loader.js';
export { MigrationGraph, migrationKey, type MigrationKey } from './graph.js';
export { MigrationExecutor, type MigrateOptions, type MigrateProgress } from './executor.js';
export { resolveTargets, planMigrations, checkConsistentHistory, type MigrationTarget, type PlanStep } from './plan.js';
export { MigrationRecorder, MIGRATIONS_TABLE } from './recorder.js';
export { migrationSql, type SqlPreviewOptions } from './sql-preview.js';
export { planDangers, measureDangers, destroysData, isSignificant, formatDanger, LARGE_TABLE_ROWS, type PlannedDanger } from './safety-linter.js';
export { appliedState, stateBefore } from './migration-states.js';
export * from './migrate-errors.js';
