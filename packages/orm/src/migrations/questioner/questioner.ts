import type { FieldSpec } from '../state/field-spec.js';
import type { ModelState } from '../state/model-state.js';
import type { SpecValue } from '../state/spec-value.js';

/**
 * The questions makemigrations asks when the models alone cannot tell
 * (Django's questioner): was a field or model renamed, and what goes into
 * existing rows. Interactive and non-interactive versions implement it;
 * tests script the answers.
 */
export interface Questioner {
  /** "Was the model blog.Post renamed to blog.Article? [y/N]" */
  askRenameModel(oldModel: ModelState, newModel: ModelState): Promise<boolean>;
  /**
   * "Was post.titel renamed to post.title (a string field)? [y/N]" —
   * `changed` when the definitions differ too (the rename is then followed by an AlterField).
   */
  askRenameField(model: ModelState, oldName: string, newName: string, spec: FieldSpec, changed?: boolean): Promise<boolean>;
  /**
   * A NOT NULL field without a default is added to a model whose table may
   * have rows: the one-off value for them. Throw MigrationQuestionUnanswered to stop.
   */
  askNotNullAddition(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue>;
  /**
   * A NOT NULL field with a default function is added: the value for
   * existing rows (`sample` is the function's result, called once now).
   */
  askFunctionDefault(model: ModelState, fieldName: string, spec: FieldSpec, sample: SpecValue): Promise<SpecValue>;
  /**
   * A nullable field becomes NOT NULL: a value for existing NULLs, or
   * undefined to leave them (the migration then fails if a NULL remains).
   */
  askNotNullAlteration(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue | undefined>;
}

/** 'post.title' as questions name a field: lower-case model, field name. */
export function fieldLabel(model: ModelState, fieldName: string): string {
  return `${model.name.toLowerCase()}.${fieldName}`;
}

/** 'blog.Post.title', the key of --rename and --default answers. */
export function answerKey(model: ModelState, fieldName?: string): string {
  return fieldName === undefined ? `${model.appLabel}.${model.name}` : `${model.appLabel}.${model.name}.${fieldName}`;
}

/** 'string field', 'foreign key to auth.User' — what a question says a field is. */
export function describeSpec(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'foreignKey':
      return `foreign key to ${spec.target}`;
    case 'oneToOne':
      return `one-to-one to ${spec.target}`;
    case 'manyToMany':
      return `many-to-many to ${spec.target}`;
    case 'autoField':
      return 'auto field';
    default:
      return `${spec.kind} field`;
  }
}
