import type { Kysely } from 'kysely';
import { IrreversibleOperation } from '../errors.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { HistoricalModels } from '../state/historical-models.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { Operation } from './operation.js';

/**
 * A data migration step: receives the historical models of this point of
 * the history (`models.get('blog.Post')`) and the Kysely executor of the
 * migration's transaction.
 */
export type MigrationCode = (models: HistoricalModels, db: Kysely<any>) => Promise<void> | void;

export interface RunCodeInput {
  readonly forward: MigrationCode;
  /** Undoes `forward`; without it the migration cannot be unapplied (use `RunCode.noop` when nothing needs undoing). */
  readonly backward?: MigrationCode;
  /** Shown by migrate --plan and sqlmigrate. */
  readonly description?: string;
}

/**
 * Run code in the migration (data migrations). Use the models passed in,
 * never the app's current models: those may have fields this point of the
 * history does not have yet.
 * @example
 * ops.runCode({
 *   forward: async (models) => {
 *     const Post = models.get('blog.Post');
 *     for (const post of await Post.objects.all()) { post.slug = slugify(post.title); await post.save(); }
 *   },
 *   backward: RunCode.noop,
 * });
 */
export class RunCode extends Operation {
  /** A backward (or forward) step that does nothing. */
  static readonly noop: MigrationCode = () => undefined;

  readonly kind = 'runCode' as const;
  readonly forward: MigrationCode;
  readonly backward: MigrationCode | undefined;
  readonly description: string | undefined;

  constructor(input: RunCodeInput) {
    super();
    this.forward = input.forward;
    this.backward = input.backward;
    this.description = input.description;
  }

  get reversible(): boolean {
    return this.backward !== undefined;
  }

  stateForwards(_state: ProjectState): void {}

  async databaseForwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await this.run(editor, to, this.forward);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    if (!this.backward) {
      throw new IrreversibleOperation(`${this.describe()} in app ${this.appLabel} has no backward function, so it cannot be unapplied. Add backward (RunCode.noop when nothing needs undoing).`);
    }
    await this.run(editor, to, this.backward);
  }

  private async run(editor: MigrationSchemaEditor, state: ProjectState, step: MigrationCode): Promise<void> {
    if (editor.collectOnly) {
      editor.comment(`${this.describe()} (JavaScript; no SQL to show)`);
      return;
    }
    const models = state.renderModels();
    models.all(); // reverse relations (author.posts) need every model rendered
    await step(models, editor.db);
  }

  describe(): string {
    return `Run code${this.description ? `: ${this.description}` : this.forward.name ? ` ${this.forward.name}` : ''}`;
  }

  nameFragment(): null {
    return null;
  }

  toCode(): Code {
    return code.call(
      'ops.runCode',
      code.object({
        forward: code.raw(this.forward.toString()),
        backward: this.backward === undefined ? undefined : this.backward === RunCode.noop ? code.raw('ops.noop', ['ops']) : code.raw(this.backward.toString()),
        description: this.description === undefined ? undefined : code.value(this.description),
      }),
    );
  }

  touchedModels(): Array<readonly [string, string]> {
    return [];
  }

  override referencesModel(): boolean {
    return true;
  }

  override reduce(): boolean {
    return false;
  }
}
