import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { ConfirmationRequired } from '../errors.js';

/**
 * Asks the user to confirm a destructive step. Commands depend on this seam,
 * not on a terminal, so `--noinput` and tests can answer for the user.
 */
export interface Questioner {
  /** True when the user agrees; `question` should say what will happen. */
  confirm(question: string): Promise<boolean>;
}

/** `--noinput`: every question is answered yes. */
export const noInputQuestioner: Questioner = {
  confirm: () => Promise.resolve(true),
};

/**
 * Ask on a terminal; only a typed `yes` agrees (Django's rule). Without a
 * terminal there is nobody to ask, so it refuses and points at --noinput.
 * @example if (!(await terminalQuestioner(process.stdin, process.stdout).confirm('Delete everything?'))) return;
 */
export function terminalQuestioner(input: Readable & { isTTY?: boolean }, output: Writable): Questioner {
  return {
    async confirm(question) {
      if (!input.isTTY) throw new ConfirmationRequired(`${question} There is no terminal to confirm on; pass --noinput to go ahead without asking.`);
      const rl = createInterface({ input, output });
      try {
        const answer = await rl.question(`${question}\nType 'yes' to continue, or 'no' to cancel: `);
        return answer.trim().toLowerCase() === 'yes';
      } finally {
        rl.close();
      }
    },
  };
}
