import { MigrationQuestionUnanswered } from '../errors.js';
import type { FieldSpec } from '../state/field-spec.js';
import type { ModelState } from '../state/model-state.js';
import type { SpecValue } from '../state/spec-value.js';
import { parseAnswerValue } from './answer-value.js';
import { answerKey, fieldLabel, type Questioner } from './questioner.js';

export interface NonInteractiveAnswers {
  /**
   * Renames to accept: 'blog.Post.titel=title' (a field) or
   * 'blog.Post=Article' (a model). Everything else is not a rename.
   */
  readonly renames?: readonly string[];
  /** One-off values by 'app.Model.field' (new NOT NULL fields; NULLs of fields becoming NOT NULL). */
  readonly defaults?: Readonly<Record<string, SpecValue>>;
  /** The same as typed text (`--default`): a JSON literal, read and checked against the field when asked. */
  readonly typedDefaults?: Readonly<Record<string, string>>;
  /** Where warnings go (a field becoming NOT NULL with no value given). */
  readonly warn?: (message: string) => void;
}

/**
 * Answers without asking (`--noinput`, CI, tests): renames only when listed,
 * one-off values only when given, otherwise a MigrationQuestionUnanswered
 * that says which flag to pass.
 * @example
 * new NonInteractiveQuestioner({ renames: ['blog.Post.titel=title'], defaults: { 'blog.Post.slug': '' } });
 */
export class NonInteractiveQuestioner implements Questioner {
  readonly #renames: Set<string>;
  readonly #defaults: ReadonlyMap<string, SpecValue>;
  readonly #typed: ReadonlyMap<string, string>;
  readonly #warn: (message: string) => void;
  /** Renames that looked possible but were not listed: 'app.Model.new' -> the --rename that would accept it. */
  readonly #declined = new Map<string, string>();

  constructor(answers: NonInteractiveAnswers = {}) {
    this.#renames = new Set((answers.renames ?? []).map((entry) => entry.replace(/\s+/g, '').toLowerCase()));
    this.#defaults = new Map(Object.entries(answers.defaults ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
    this.#typed = new Map(Object.entries(answers.typedDefaults ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
    this.#warn = answers.warn ?? (() => undefined);
  }

  /** The given one-off value for a field, if any (typed text checked against the field). */
  #given(key: string, spec: FieldSpec): SpecValue | undefined {
    const value = this.#defaults.get(key.toLowerCase());
    if (value !== undefined) return value;
    const text = this.#typed.get(key.toLowerCase());
    if (text === undefined) return undefined;
    const parsed = parseAnswerValue(text, spec);
    if ('error' in parsed) throw new MigrationQuestionUnanswered(`--default ${key}=${text}: ${parsed.error}`);
    return parsed.value;
  }

  async askRenameModel(oldModel: ModelState, newModel: ModelState): Promise<boolean> {
    const flag = `${answerKey(oldModel)}=${newModel.name}`;
    if (this.#renames.has(flag.toLowerCase())) return true;
    this.#warn(`${oldModel.appLabel}.${oldModel.name} and ${newModel.appLabel}.${newModel.name} look like a rename; treated as a deleted and a new model (pass --rename ${flag} to keep the data).`);
    return false;
  }

  async askRenameField(model: ModelState, oldName: string, newName: string): Promise<boolean> {
    const flag = `${answerKey(model, oldName)}=${newName}`;
    if (this.#renames.has(flag.toLowerCase())) return true;
    this.#declined.set(answerKey(model, newName).toLowerCase(), flag);
    this.#warn(`${fieldLabel(model, oldName)} -> ${fieldLabel(model, newName)} looks like a rename; treated as a removed and a new field (pass --rename ${flag} to keep the data).`);
    return false;
  }

  async askNotNullAddition(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue> {
    const key = answerKey(model, fieldName);
    const value = this.#given(key, spec);
    if (value !== undefined) return value;
    const rename = this.#declined.get(key.toLowerCase());
    throw new MigrationQuestionUnanswered(
      `Cannot add the NOT NULL field ${fieldLabel(model, fieldName)} without a value for existing rows in non-interactive mode. ` +
        `Give the field a default, make it { null: true }, or pass --default ${key}=<JSON value>` +
        (rename ? `; or, if it is a renamed field, pass --rename ${rename}.` : '.'),
    );
  }

  async askFunctionDefault(model: ModelState, fieldName: string, spec: FieldSpec, sample: SpecValue): Promise<SpecValue> {
    const key = answerKey(model, fieldName);
    const given = this.#given(key, spec);
    if (given !== undefined) return given;
    if (spec.options.unique === true) {
      throw new MigrationQuestionUnanswered(
        `The unique field ${fieldLabel(model, fieldName)} has a default function, but existing rows would all get its one value. ` +
          'Add it with { null: true }, fill it with ops.runCode, then make it NOT NULL; or pass --default ' + `${key}=<JSON value> if the table has at most one row.`,
      );
    }
    return sample;
  }

  async askNotNullAlteration(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue | undefined> {
    const key = answerKey(model, fieldName);
    const value = this.#given(key, spec);
    if (value !== undefined) return value;
    this.#warn(
      `${fieldLabel(model, fieldName)} becomes NOT NULL with no value for existing NULLs: the migration fails if any remain (pass --default ${key}=<JSON value> to fill them).`,
    );
    return undefined;
  }
}
