import { sql } from 'kysely';
import { connection } from '../db/connections.js';
import { executor } from '../db/transaction.js';
import { withSchemaEditor } from '../schema/with-schema-editor.js';
import type { MigrationKey } from './graph.js';
import type { MigrationLoader } from './loader.js';
import { DataLossRefused, MigrationFailed } from './migrate-errors.js';
import { acquireMigrationLock } from './migration-lock.js';
import { appliedState, statesBeforeEach } from './migration-states.js';
import type { Migration } from './migration.js';
import { assertReversible, applyOperations, OperationError, unapplyOperations } from './run-operations.js';
import { checkConsistentHistory, planMigrations, type MigrationTarget, type PlanStep } from './plan.js';
import { MigrationRecorder } from './recorder.js';
import { destroysData, formatDanger, measureDangers, planDangers, type PlannedDanger } from './safety-linter.js';
import type { ProjectState } from './state/project-state.js';

export interface MigrateOptions {
  /** Record (or forget) the migrations without running their operations. */
  fake?: boolean;
  /** Run even when the plan destroys existing data. */
  allowDataLoss?: boolean;
  /**
   * Asked when the plan destroys existing data and `allowDataLoss` is not
   * set; resolve true to go ahead. Without it such a plan is refused.
   */
  confirmDataLoss?: (dangers: readonly PlannedDanger[]) => Promise<boolean>;
  /** How long to wait for another migrate's lock (ms, default 120 000). */
  lockTimeoutMs?: number;
  /** Progress for output; every callback is optional. */
  progress?: MigrateProgress;
}

export interface MigrateProgress {
  /** Another process holds the lock: waiting for it. */
  waiting?(holder: string): void;
  /** The plan, decided once the lock is held and any data loss agreed to (empty: nothing to do). */
  planned?(plan: readonly PlanStep[], dangers: readonly PlannedDanger[]): void;
  started?(step: PlanStep): void;
  finished?(step: PlanStep, milliseconds: number): void;
}

/**
 * Applies and unapplies migrations on one database. `migrate()` takes the
 * migration lock, reads what is applied, plans, checks the plan's dangers,
 * then runs each migration in its own transaction — its operations, its
 * record in `atrium_migrations`, and a foreign key check, committed together
 * — so a failure (or a killed process) leaves the database as it was before
 * that migration, and running migrate again carries on from there.
 * @example
 * const loader = await MigrationLoader.load(project.context.apps.all());
 * await new MigrationExecutor(loader).migrate(resolveTargets(loader.graph));
 */
export class MigrationExecutor {
  readonly loader: MigrationLoader;
  readonly alias: string;
  readonly recorder: MigrationRecorder;

  constructor(loader: MigrationLoader, alias = 'default') {
    this.loader = loader;
    this.alias = alias;
    this.recorder = new MigrationRecorder(alias);
  }

  /** Applied migrations now (keys). */
  async applied(): Promise<Set<MigrationKey>> {
    return new Set((await this.recorder.applied()).keys());
  }

  /** The plan to reach `targets` from what is applied now, with its dangers measured against the database. */
  async plan(targets: readonly MigrationTarget[]): Promise<{ plan: PlanStep[]; dangers: PlannedDanger[] }> {
    const applied = await this.applied();
    checkConsistentHistory(this.loader.graph, applied);
    const plan = planMigrations(this.loader.graph, targets, applied);
    for (const step of plan) if (step.backwards) assertReversible(step.migration);
    const dangers = await measureDangers(await planDangers(this.loader.graph, plan, applied, connection(this.alias).dialect), this.alias);
    return { plan, dangers };
  }

  /** Bring the database to `targets`; returns the steps that ran. */
  async migrate(targets: readonly MigrationTarget[], options: MigrateOptions = {}): Promise<PlanStep[]> {
    const progress = options.progress ?? {};
    const lock = await acquireMigrationLock(this.alias, {
      ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
      ...(progress.waiting ? { onWait: progress.waiting } : {}),
    });
    try {
      await this.recorder.ensureTable();
      // Read under the lock: a migrate that waited sees what the other one applied.
      const applied = await this.applied();
      checkConsistentHistory(this.loader.graph, applied);
      const plan = planMigrations(this.loader.graph, targets, applied);
      for (const step of plan) if (step.backwards) assertReversible(step.migration);
      const dangers = options.fake ? [] : await measureDangers(await planDangers(this.loader.graph, plan, applied, connection(this.alias).dialect), this.alias);
      await this.#confirm(dangers, options);
      progress.planned?.(plan, dangers);
      if (plan.length === 0) return [];
      if (plan[0]!.backwards) await this.#runBackwards(plan, applied, options);
      else await this.#runForwards(plan, applied, options);
      return plan;
    } finally {
      await lock.release();
    }
  }

  async #confirm(dangers: readonly PlannedDanger[], options: MigrateOptions): Promise<void> {
    const lossy = dangers.filter(destroysData);
    if (lossy.length === 0 || options.allowDataLoss) return;
    if (options.confirmDataLoss && (await options.confirmDataLoss(lossy))) return;
    const lines = lossy.map((danger) => `  ${danger.migration}: ${formatDanger(danger)[0]}`);
    throw new DataLossRefused(
      `Migrating would destroy existing data:\n${lines.join('\n')}\nBack the data up, then run migrate again with --allow-data-loss (or answer yes on a terminal). Nothing was changed.`,
    );
  }

  async #runForwards(plan: readonly PlanStep[], applied: ReadonlySet<MigrationKey>, options: MigrateOptions): Promise<void> {
    let state = appliedState(this.loader.graph, applied);
    for (const step of plan) {
      state = await this.#run(step, options, (editorState) => editorState.forwards(state));
    }
  }

  async #runBackwards(plan: readonly PlanStep[], applied: ReadonlySet<MigrationKey>, options: MigrateOptions): Promise<void> {
    const states = statesBeforeEach(this.loader.graph, applied, plan.map((step) => step.migration));
    for (const step of plan) {
      const before = states.get(step.migration)!;
      await this.#run(step, options, async (editorState) => {
        await editorState.backwards(before);
        return before;
      });
    }
  }

  /** One migration in its own transaction (unless `atomic: false`), recorded inside it. */
  async #run(step: PlanStep, options: MigrateOptions, body: (runner: StepRunner) => Promise<ProjectState>): Promise<ProjectState> {
    const { migration, backwards } = step;
    const key = `${migration.appLabel}.${migration.name}`;
    const started = performance.now();
    options.progress?.started?.(step);
    let result: ProjectState | null = null;
    try {
      await withSchemaEditor(
        async (editor) => {
          const flush = this.#flushAfterData.bind(this);
          const hooks = { after: (operation: { kind: string }) => flush(operation.kind) };
          const runner: StepRunner = {
            forwards: (state) => (options.fake ? Promise.resolve(afterState(migration, state)) : applyOperations(migration, state, editor, hooks)),
            backwards: (state) => (options.fake ? Promise.resolve() : unapplyOperations(migration, state, editor, hooks)),
          };
          result = await body(runner);
          if (backwards) await this.recorder.recordUnapplied(migration.appLabel, migration.name, executor(this.alias));
          else await this.recorder.recordApplied(migration.appLabel, migration.name, executor(this.alias));
        },
        { using: this.alias, atomic: migration.atomic },
      );
    } catch (error) {
      throw this.#failure(key, backwards, migration, error);
    }
    options.progress?.finished?.(step, performance.now() - started);
    return result!;
  }

  /**
   * PostgreSQL refuses to ALTER a table with pending deferred-constraint
   * checks ("pending trigger events") — rows a RunCode or RunSQL step just
   * wrote. Checking the deferred constraints right after such a step clears
   * them, so data and schema steps can share a migration.
   */
  async #flushAfterData(kind: string): Promise<void> {
    if (kind !== 'runCode' && kind !== 'runSql') return;
    if (connection(this.alias).dialect !== 'postgres') return;
    const run = executor(this.alias);
    await sql`set constraints all immediate`.execute(run);
    await sql`set constraints all deferred`.execute(run);
  }

  #failure(key: string, backwards: boolean, migration: Migration, error: unknown): MigrationFailed {
    const verb = backwards ? 'Unapplying' : 'Applying';
    const where = error instanceof OperationError ? ` at ${error.message}` : `: ${error instanceof Error ? error.message : String(error)}`;
    const cause = error instanceof OperationError ? error.cause : error;
    const state = migration.atomic
      ? `Nothing of ${key} was ${backwards ? 'unapplied' : 'applied'}: the database is as it was before.`
      : `${key} is not atomic (atomic: false): the operations before the failing one stay ${backwards ? 'unapplied' : 'applied'}; fix the cause, repair by hand, then migrate again.`;
    return new MigrationFailed(`${verb} ${key} failed${where}. ${state}`, {
      migration: key,
      operationIndex: error instanceof OperationError ? error.index + 1 : null,
      operation: error instanceof OperationError ? error.operation.describe() : null,
      cause,
    });
  }
}

interface StepRunner {
  forwards(state: ProjectState): Promise<ProjectState>;
  backwards(state: ProjectState): Promise<void>;
}

/** The state after a migration, for --fake (nothing runs, but later migrations need the state). */
function afterState(migration: Migration, state: ProjectState): ProjectState {
  const next = state.clone();
  migration.applyState(next);
  return next;
}
