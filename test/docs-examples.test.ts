import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Every ```ts example block in docs/ is a program that must run and exit 0;
 * examples assert their own results with node:assert. They run from a folder
 * inside the repository so `@atrium/*` imports resolve like a user's would.
 */
const root = resolve(import.meta.dirname, '..');
const docsDir = join(root, 'docs');
// One folder per run, so two runs at once never delete each other's files.
const workDir = join(root, 'test', '.docs-examples', `run-${process.pid}-${Date.now()}`);
const run = promisify(execFile);

interface Example {
  doc: string;
  index: number;
  code: string;
}

function collectExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort()) {
    const text = readFileSync(join(docsDir, file), 'utf8');
    const re = /^```ts example\n([\s\S]*?)^```$/gm;
    let match: RegExpExecArray | null;
    let index = 0;
    while ((match = re.exec(text))) examples.push({ doc: file, index: ++index, code: match[1]! });
  }
  return examples;
}

const examples = collectExamples();
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('docs examples', () => {
  it('there are examples to run', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  for (const example of examples) {
    it(`${example.doc} example ${example.index} runs`, async () => {
      const dir = join(workDir, `${example.doc.replace(/\.md$/, '')}-${example.index}`);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'example.ts');
      writeFileSync(file, example.code);
      const { stderr } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: dir,
        timeout: 30_000,
        env: { ...process.env, NODE_ENV: 'test' },
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${example.doc} example ${example.index} failed:\n${error.stderr ?? ''}${error.stdout ?? ''}\n${error.message}`);
      });
      expect(stderr).not.toMatch(/AssertionError/);
    });
  }
});
