/**
 * docs/tutorial/ never goes stale: this test creates ONE project with the real
 * create-app binary (--no-install; node_modules linked to the repository's, so
 * nothing is downloaded) and follows the parts in order. A block after
 * `<!-- tutorial:file PATH -->` is written to PATH in the project; each command
 * of a block after `<!-- tutorial:run -->` runs in the project folder and must
 * exit 0 (`npx manage` is the project's own manage binary); `npx manage
 * runserver` is not run as typed but started on a free port, and each path of
 * the marker's `check=/a/,/b/` must answer 200 before it is stopped.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppBin, manageBin, runCommand, startRunserver, stopAllServers, stopServer, userEnv } from './support/generated-project.js';
import { repo } from './support/serve-process.js';

const tutorialDir = join(repo, 'docs/tutorial');
const PROJECT = 'mysite';
// A busy machine type-checks and runs the project's tests in tens of seconds where an idle one takes a few.
const STEP_TIMEOUT = 300_000;

type Step =
  | { kind: 'create'; lines: string[] }
  | { kind: 'run'; lines: string[]; checks: string[] }
  | { kind: 'file'; path: string; content: string };

/** The marked blocks of one part, in order. */
function stepsOf(text: string): Step[] {
  const steps: Step[] = [];
  for (const match of text.matchAll(/^<!-- tutorial:(create|run|file)([^>]*?) -->\n```\w*\n([\s\S]*?)^```$/gm)) {
    const [, kind, argument = '', body = ''] = match;
    const lines = body.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    if (kind === 'create') steps.push({ kind, lines });
    else if (kind === 'file') steps.push({ kind, path: argument.trim(), content: body });
    else {
      const checks = /\bcheck=(\S+)/.exec(argument)?.[1]?.split(',') ?? [];
      steps.push({ kind: 'run', lines, checks });
    }
  }
  return steps;
}

const parts = readdirSync(tutorialDir).filter((name) => /^\d\d-.*\.md$/.test(name)).sort();
let parent: string;
let project: string;

beforeAll(async () => {
  // The binary runs dist/: build create-app first (incremental, so cheap after `tsc -b`).
  const build = await runCommand(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'packages/create-app')], repo);
  expect(build.code, `building packages/create-app failed:\n${build.output}`).toBe(0);
  parent = mkdtempSync(join(tmpdir(), 'atrium-tutorial-'));
  project = join(parent, PROJECT);
}, STEP_TIMEOUT);

afterAll(async () => {
  await stopAllServers();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

async function create(lines: string[]): Promise<void> {
  expect(lines).toEqual([`npx create-app ${PROJECT}`, `cd ${PROJECT}`]);
  const created = await runCommand(process.execPath, [createAppBin, PROJECT, '--no-install', '--atrium-source', 'local'], parent);
  expect(created.code, `create-app failed:\n${created.output}`).toBe(0);
  // Offline: the project's dependencies are the monorepo's packages and its root install, linked as node_modules.
  symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir');
}

function writeProjectFile(path: string, content: string): void {
  const target = resolve(project, path);
  expect(relative(project, target).startsWith('..'), `${path} is outside the project`).toBe(false);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

async function runserver(checks: string[]): Promise<void> {
  const { server, base } = await startRunserver(project, checks[0] ?? '/');
  try {
    for (const path of checks) expect((await fetch(`${base}${path}`)).status, `GET ${path}`).toBe(200);
  } finally {
    await stopServer(server);
  }
}

async function runLines(lines: string[], checks: string[]): Promise<void> {
  for (const line of lines) {
    if (/^npx manage runserver\b/.test(line)) {
      await runserver(checks);
      continue;
    }
    const command = line.replace(/(^|\s)npx manage\b/g, `$1${manageBin(project)}`);
    const result = await runCommand('sh', ['-c', command], project, userEnv());
    expect(result.code, `\`${line}\` failed:\n${result.output}`).toBe(0);
  }
}

describe('docs/tutorial', () => {
  it('has parts, each with steps, the first creating the project', () => {
    expect(parts.length).toBeGreaterThanOrEqual(5);
    for (const part of parts) {
      const text = readFileSync(join(tutorialDir, part), 'utf8');
      // A marker whose block does not parse (no fence right after it) would be skipped silently: count them.
      const markers = text.match(/^<!-- tutorial:/gm)?.length ?? 0;
      expect(markers, part).toBeGreaterThan(0);
      expect(stepsOf(text).length, `${part}: a tutorial marker not followed directly by a fenced block`).toBe(markers);
    }
    expect(stepsOf(readFileSync(join(tutorialDir, parts[0]!), 'utf8'))[0]?.kind).toBe('create');
  });

  for (const part of parts) {
    it(`${part}: every file is written and every command succeeds`, async () => {
      for (const step of stepsOf(readFileSync(join(tutorialDir, part), 'utf8'))) {
        if (step.kind === 'create') await create(step.lines);
        else if (step.kind === 'file') writeProjectFile(step.path, step.content);
        else await runLines(step.lines, step.checks);
      }
    }, STEP_TIMEOUT);
  }

  it('leaves a project whose migrations match its models and whose added note field is migrated', () => {
    const migrations = readdirSync(join(project, 'notes/migrations')).filter((name) => name.endsWith('.ts'));
    expect(migrations).toHaveLength(2);
    expect(readFileSync(join(project, 'notes/migrations', migrations.find((name) => name.startsWith('0002'))!), 'utf8')).toContain("'done'");
  });
});
