import type { Dialect } from '../../fields/field.js';
import type { IndexDefinition } from '../../model/model-meta.js';
import type { MigrationSchemaEditor } from '../migration-schema-editor.js';
import type { ProjectState } from '../state/project-state.js';
import { code, type Code } from '../writer/code.js';
import { historicalModel } from './historical.js';
import type { ModelChange } from './model-change.js';
import { ModelOperation } from './model-operation.js';
import { sameName, type Danger, type Operation } from './operation.js';

export interface AddIndexInput {
  readonly model: string;
  /** A named index: `{ name: 'blog_post_title_idx', fields: ['title'] }`. */
  readonly index: IndexDefinition;
}

/** Create a (multi-column, optionally unique) index. */
export class AddIndex extends ModelOperation {
  readonly kind = 'addIndex' as const;
  readonly reversible = true;
  readonly modelName: string;
  readonly index: IndexDefinition;

  constructor(input: AddIndexInput) {
    super();
    this.modelName = input.model;
    this.index = input.index;
  }

  modelChange(): ModelChange {
    return { kind: 'addIndex', model: this.modelName, index: this.index };
  }

  async databaseForwards(editor: MigrationSchemaEditor, _from: ProjectState, to: ProjectState): Promise<void> {
    await editor.addIndex(historicalModel(to, this.appLabel, this.modelName), this.index);
  }

  async databaseBackwards(editor: MigrationSchemaEditor, from: ProjectState): Promise<void> {
    await editor.removeIndex(historicalModel(from, this.appLabel, this.modelName), this.index);
  }

  describe(): string {
    return `Create index ${this.index.name} on ${this.index.fields.join(', ')} of ${this.modelName}`;
  }

  nameFragment(): string {
    return this.index.name.toLowerCase();
  }

  toCode(): Code {
    return code.call('ops.addIndex', code.object({ model: code.value(this.modelName), index: code.value(this.index) }));
  }

  override dangers(dialect: Dialect, fromState?: ProjectState): Danger[] {
    if (dialect !== 'postgres') return [];
    const table = fromState?.find(this.appLabel, this.modelName)?.table ?? this.modelName;
    return [
      {
        kind: 'blockingIndex',
        dataLoss: false,
        table,
        message: `Creating index ${this.index.name} blocks writes to ${table} while it builds (no CONCURRENTLY).`,
        alternative:
          'On a large table, run CREATE INDEX CONCURRENTLY with ops.runSql({ sql, reverseSql, stateOperations: [this addIndex] }) in a migration with atomic: false.',
      },
    ];
  }

  override reduce(other: Operation): Operation[] | boolean {
    if (other instanceof ModelOperation && other.appLabel === this.appLabel && sameName(other.modelName, this.modelName)) {
      const change = other.modelChange();
      if (change.kind === 'removeIndex' && change.name === this.index.name) return [];
    }
    return super.reduce(other);
  }
}
