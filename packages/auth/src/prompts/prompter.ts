/**
 * How commands ask the person at the terminal. Commands depend on this
 * seam, not on a terminal, so tests script the answers (Django's
 * questioner pattern).
 */
export interface Prompter {
  /** Ask a question; resolves with the answer (without the line break). */
  ask(question: string): Promise<string>;
  /** Ask without echoing what is typed (passwords). */
  askHidden(question: string): Promise<string>;
  /** Release the input. */
  close(): void;
}

/**
 * Answers given in advance, in order: for tests. Records each question in
 * `asked`; running out of answers is an error naming the question.
 * @example const prompter = new ScriptedPrompter(['ada', 'ada@example.com', 'pw', 'pw']);
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly #answers: string[];

  constructor(answers: readonly string[]) {
    this.#answers = [...answers];
  }

  ask(question: string): Promise<string> {
    this.asked.push(question);
    const answer = this.#answers.shift();
    if (answer === undefined) return Promise.reject(new Error(`The scripted prompter has no answer left for ${JSON.stringify(question)}`));
    return Promise.resolve(answer);
  }

  askHidden(question: string): Promise<string> {
    return this.ask(question);
  }

  close(): void {}
}
