import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateBackend } from '@atrium/core';
import { backendFor, fakeContext, tempProject, type TempProject } from './project-fixture.js';

// Every `{{ ... }}  {# → output #}` line in a ```njk block of docs/templates.md
// is rendered here, so the page cannot drift from the code.
const docs = readFileSync(join(import.meta.dirname, '../../../docs/templates.md'), 'utf8');
const blocks = [...docs.matchAll(/```njk\n([\s\S]*?)```/g)].map((match) => match[1]!);
const examples = blocks
  .flatMap((block) => block.split('\n'))
  .map((line) => /^(.*\S)\s+\{# → (.*) #\}$/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({ template: match[1]!, expected: match[2]!.replaceAll('\\n', '\n') }));

let project: TempProject;
let backend: TemplateBackend;
beforeAll(async () => {
  project = tempProject();
  backend = await backendFor(fakeContext({ root: project.root }));
});
afterAll(() => project.cleanup());

describe('docs/templates.md examples', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(25);
  });

  it.each(examples)('$template', async ({ template, expected }) => {
    const out = await backend.renderString(template, { when: new Date('2024-03-05T14:30:07Z'), none: null });
    // The page shows a no-break space as a plain one.
    expect(out.replaceAll('\u00a0', ' ')).toBe(expected);
  });
});
