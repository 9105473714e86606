import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { MigrationQuestionUnanswered } from '../errors.js';
import type { FieldSpec } from '../state/field-spec.js';
import type { ModelState } from '../state/model-state.js';
import type { SpecValue } from '../state/spec-value.js';
import { printCode, code } from '../writer/code.js';
import { parseAnswerValue } from './answer-value.js';
import { describeSpec, fieldLabel, type Questioner } from './questioner.js';

/**
 * Asks on a terminal (or any pair of streams: tests script the answers by
 * writing lines to `input`). End of input counts as quitting.
 * @example
 * const questioner = new InteractiveQuestioner({ input: process.stdin, output: process.stdout });
 */
export class InteractiveQuestioner implements Questioner {
  readonly #output: Writable;
  readonly #lines: AsyncIterator<string>;
  readonly #close: () => void;

  constructor(streams: { input: Readable; output: Writable }) {
    this.#output = streams.output;
    // The async iterator buffers lines, so answers written ahead of the question are not lost.
    const reader = createInterface({ input: streams.input, crlfDelay: Infinity, terminal: false });
    this.#lines = reader[Symbol.asyncIterator]();
    this.#close = () => reader.close();
  }

  /** Stop reading input (call when done asking). */
  close(): void {
    this.#close();
  }

  async askRenameModel(oldModel: ModelState, newModel: ModelState): Promise<boolean> {
    return this.#yesNo(`Was the model ${oldModel.appLabel}.${oldModel.name} renamed to ${newModel.appLabel}.${newModel.name}? [y/N] `);
  }

  async askRenameField(model: ModelState, oldName: string, newName: string, spec: FieldSpec, changed = false): Promise<boolean> {
    const what = `a ${describeSpec(spec)}${changed ? ', with changed options' : ''}`;
    return this.#yesNo(`Was ${fieldLabel(model, oldName)} renamed to ${fieldLabel(model, newName)} (${what})? [y/N] `);
  }

  async askNotNullAddition(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue> {
    const label = fieldLabel(model, fieldName);
    const choice = await this.#choose(
      `It is impossible to add the NOT NULL field ${label} without a value for the existing rows of ${model.appLabel}.${model.name}.\n`,
      ['Provide a one-off value now (written into existing rows only)', 'Quit, and add a default or { null: true } to the field in models.ts'],
    );
    if (choice === 2) throw quit(label);
    return this.#value(spec);
  }

  async askFunctionDefault(model: ModelState, fieldName: string, spec: FieldSpec, sample: SpecValue): Promise<SpecValue> {
    const label = fieldLabel(model, fieldName);
    const warning = spec.options.unique === true ? ' (the field is unique: this fails if the table has more than one row)' : '';
    const choice = await this.#choose(`The NOT NULL field ${label} has a default function; existing rows need one value now.\n`, [
      `Call the default function once and write its value, ${printCode(code.value(sample), 0)}, into every existing row${warning}`,
      'Provide a one-off value now',
      'Quit',
    ]);
    if (choice === 3) throw quit(label);
    return choice === 1 ? sample : this.#value(spec);
  }

  async askNotNullAlteration(model: ModelState, fieldName: string, spec: FieldSpec): Promise<SpecValue | undefined> {
    const label = fieldLabel(model, fieldName);
    const choice = await this.#choose(`The field ${label} becomes NOT NULL; existing rows may hold NULL.\n`, [
      'Provide a one-off value now for existing NULLs',
      'Ignore for now: the migration fails if a NULL remains (fill them in an earlier migration)',
      'Quit',
    ]);
    if (choice === 3) throw quit(label);
    return choice === 1 ? this.#value(spec) : undefined;
  }

  async #yesNo(prompt: string): Promise<boolean> {
    for (;;) {
      const answer = (await this.#ask(prompt)).trim().toLowerCase();
      if (answer === '' || answer === 'n' || answer === 'no') return false;
      if (answer === 'y' || answer === 'yes') return true;
      this.#output.write('Please answer y or n.\n');
    }
  }

  async #choose(intro: string, options: readonly string[]): Promise<number> {
    this.#output.write(`${intro}Please select a fix:\n${options.map((text, i) => ` ${i + 1}) ${text}`).join('\n')}\n`);
    for (;;) {
      const answer = Number((await this.#ask('Select an option: ')).trim());
      if (Number.isInteger(answer) && answer >= 1 && answer <= options.length) return answer;
      this.#output.write(`Please enter a number from 1 to ${options.length}.\n`);
    }
  }

  async #value(spec: FieldSpec): Promise<SpecValue> {
    const hint = spec.kind === 'datetime' || spec.kind === 'date' || spec.kind === 'time' ? " or 'now'" : '';
    this.#output.write(`Enter the value as a JSON literal (e.g. "text", 0, true)${hint}.\n`);
    for (;;) {
      const parsed = parseAnswerValue(await this.#ask('>>> '), spec);
      if ('value' in parsed) return parsed.value;
      this.#output.write(`${parsed.error}\n`);
    }
  }

  async #ask(prompt: string): Promise<string> {
    this.#output.write(prompt);
    const next = await this.#lines.next();
    if (next.done) {
      this.#output.write('\n');
      throw new MigrationQuestionUnanswered('No answer (end of input); nothing was written.');
    }
    return next.value;
  }
}

function quit(label: string): MigrationQuestionUnanswered {
  return new MigrationQuestionUnanswered(`Stopped at ${label}; nothing was written. Give the field a default or { null: true } and run makemigrations again.`);
}
