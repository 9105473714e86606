#!/usr/bin/env node
// `npm run robustness`: the whole robustness suite — fuzzing and bad input
// over sockets (test/robustness/*.test.ts), the fault tests one file at a
// time, and the soak under load — then one table of what was tried and what
// held. Each test appends its counts to a tally file (support/tally.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
const vitest = join(repo, 'node_modules/vitest/vitest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'atrium-robustness-'));
const tally = join(dir, 'tally.jsonl');
const env = { ...process.env, ROBUSTNESS_TALLY: tally, ROBUSTNESS_SOAK: '1' };

const runs = [
  ['bad input and fuzzing', ['run', 'test/robustness']],
  ['faults and soak', ['run', '-c', 'vitest.robustness.config.ts']],
];
let failed = false;
for (const [label, args] of runs) {
  process.stdout.write(`\n== ${label}: vitest ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [vitest, ...args], { cwd: repo, env, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}

let entries = [];
try {
  entries = readFileSync(tally, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
} catch {
  // No test recorded anything (they all failed to start).
}
rmSync(dir, { recursive: true, force: true });

const rows = [
  ['bad-input', 'bad inputs', 'tried', 'passed'],
  ['fault', 'faults', 'injected', 'survived'],
  ['load', 'requests under load', 'sent', 'failed'],
  ['writes', 'writes', 'acknowledged', 'found'],
];
const lines = [['', 'count', 'result'].join(' | ')];
for (const [category, name, triedWord, passedWord] of rows) {
  const mine = entries.filter((entry) => entry.category === category);
  const tried = mine.reduce((sum, entry) => sum + entry.tried, 0);
  const passed = mine.reduce((sum, entry) => sum + entry.passed, 0);
  // For load, `passed` counts requests that did not fail: the table shows the failures.
  const second = category === 'load' ? tried - passed : passed;
  lines.push(`${name} | ${tried} ${triedWord} | ${second} ${passedWord}`);
}
process.stdout.write(`\nRobustness report\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
// Which faults: each is one test that really does it (faults/*.test.ts).
const faults = entries.filter((entry) => entry.category === 'fault');
if (faults.length > 0) process.stdout.write(`\n  faults:\n${faults.map((entry) => `    ${entry.passed === entry.tried ? 'survived' : 'FAILED  '}  ${entry.label}`).join('\n')}\n`);
const failures = entries.filter((entry) => entry.category !== 'load' && entry.passed < entry.tried);
for (const entry of failures) process.stdout.write(`  FAILED: ${entry.category} ${entry.label} (${entry.passed}/${entry.tried})\n`);
process.exit(failed || failures.length > 0 ? 1 : 0);
