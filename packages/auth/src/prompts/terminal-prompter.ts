import { createInterface, type Interface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { AtriumError } from '@atrium/core';
import type { Prompter } from './prompter.js';

/**
 * Ask on a terminal or on piped input. Lines are queued as they arrive, so
 * answers piped in all at once (`printf 'ada\n...' | manage createsuperuser`)
 * are each given to their question. On a terminal, hidden questions do not
 * echo what is typed.
 * @example const prompter = terminalPrompter(process.stdin, process.stdout);
 */
export function terminalPrompter(input: Readable & { isTTY?: boolean }, output: NodeJS.WritableStream): Prompter {
  let muted = false;
  // readline echoes typed characters through its output; muting that stream hides a password.
  const echo = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) output.write(chunk);
      callback();
    },
  });
  let rl: Interface | null = null;
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let ended = false;

  const open = (): Interface => {
    if (rl) return rl;
    rl = createInterface({ input, output: echo, terminal: input.isTTY === true });
    rl.on('line', (line) => {
      const next = waiting.shift();
      if (next) next.resolve(line);
      else lines.push(line);
    });
    rl.on('close', () => {
      ended = true;
      for (const next of waiting.splice(0)) next.reject(new AtriumError('E_INPUT_ENDED', 'The input ended before every question was answered; pipe one answer per line, or use --no-input.'));
    });
    return rl;
  };

  const question = (text: string, hidden: boolean): Promise<string> => {
    open();
    output.write(text);
    muted = hidden && input.isTTY === true;
    const queued = lines.shift();
    const answer =
      queued !== undefined
        ? Promise.resolve(queued)
        : ended
          ? Promise.reject(new AtriumError('E_INPUT_ENDED', `The input ended before ${JSON.stringify(text.trim())} was answered; pipe one answer per line, or use --no-input.`))
          : new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
    return answer.finally(() => {
      // A hidden answer, or piped input, left the cursor after the question.
      if (muted || input.isTTY !== true) output.write('\n');
      muted = false;
    });
  };

  return {
    ask: (text) => question(text, false),
    askHidden: (text) => question(text, true),
    close: () => {
      rl?.close();
      rl = null;
    },
  };
}
