import type { CheckMessage } from './check-message.js';
import type { CheckResult } from './run-checks.js';

const HEADINGS: ReadonlyArray<[CheckMessage['level'], string]> = [
  ['error', 'ERRORS'],
  ['warning', 'WARNINGS'],
  ['info', 'INFOS'],
];

/**
 * The report `manage check` prints, grouped by level as Django does, ending
 * with the "System check identified N issues" summary line.
 * @example formatCheckReport({ messages: [], silenced: 0 }) // 'System check identified no issues (0 silenced).\n'
 */
export function formatCheckReport(result: CheckResult): string {
  const lines: string[] = [];
  if (result.messages.length > 0) lines.push('System check identified some issues:', '');
  for (const [level, heading] of HEADINGS) {
    const group = result.messages.filter((m) => m.level === level);
    if (group.length === 0) continue;
    lines.push(`${heading}:`);
    for (const m of group) {
      lines.push(`(${m.id}) ${m.message}`);
      if (m.hint) lines.push(`\tHINT: ${m.hint}`);
    }
    lines.push('');
  }
  const count = result.messages.length;
  const issues = count === 0 ? 'no issues' : count === 1 ? '1 issue' : `${count} issues`;
  lines.push(`System check identified ${issues} (${result.silenced} silenced).`);
  return `${lines.join('\n')}\n`;
}

/** True when the result should fail the command (any error). */
export function hasErrors(result: CheckResult): boolean {
  return result.messages.some((m) => m.level === 'error');
}
