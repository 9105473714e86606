// Describe the machine a run happened on, and how busy it was, because a
// ratio only means something next to the conditions it was measured in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** Date, core count, CPU model, node version and load average. */
export function describeMachine() {
  return {
    date: new Date().toISOString(),
    nproc: nproc(),
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
  };
}

function nproc() {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return availableParallelism();
  }
}

function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: fall through to what node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/**
 * The share of CPU time (0..1, over all cores) spent busy during `ms`
 * milliseconds: other work on the machine makes the numbers noisy.
 */
export async function sampleBusyShare(ms = 500) {
  const before = cpus();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpus();
  let busy = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const prev = before[i]?.times;
    if (!prev) return;
    const delta = (key) => cpu.times[key] - prev[key];
    const all = delta('user') + delta('nice') + delta('sys') + delta('idle') + delta('irq');
    busy += all - delta('idle');
    total += all;
  });
  return total > 0 ? busy / total : 0;
}
