import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import type { CheckMessage, CheckOptions, SystemCheck } from './check-message.js';
import { coreChecks } from './core-checks.js';
import { deployChecks } from './deploy-checks.js';

export interface CheckResult {
  /** Reported findings, errors first. */
  messages: CheckMessage[];
  /** How many findings SILENCED_SYSTEM_CHECKS hid. */
  silenced: number;
}

const LEVEL_ORDER: Record<CheckMessage['level'], number> = { error: 0, warning: 1, info: 2 };

/**
 * Run the built-in checks (plus the deploy ones when asked) and every check
 * installed apps contribute under `extensions.checks`, minus the ids listed in
 * the SILENCED_SYSTEM_CHECKS setting.
 * @example const { messages } = await runChecks(project.context, { deploy: false });
 */
export async function runChecks(context: AppContext, options: CheckOptions): Promise<CheckResult> {
  const checks: SystemCheck[] = [...coreChecks, ...(options.deploy ? deployChecks : []), ...appChecks(context)];
  const found: CheckMessage[] = [];
  for (const check of checks) found.push(...(await check(context, options)));
  const silencedIds = silencedChecks(context);
  const messages = found.filter((m) => !silencedIds.has(m.id));
  messages.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.id.localeCompare(b.id));
  return { messages, silenced: found.length - messages.length };
}

function appChecks(context: AppContext): SystemCheck[] {
  return context.apps.extensions<unknown>('checks').flatMap(({ app, value }) => {
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!list.every((check) => typeof check === 'function')) {
      throw new ImproperlyConfigured(`App '${app.label}' contributes extensions.checks that are not functions; pass a SystemCheck or an array of them.`);
    }
    return list as SystemCheck[];
  });
}

function silencedChecks(context: AppContext): Set<string> {
  const value = context.settings['SILENCED_SYSTEM_CHECKS'];
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw new ImproperlyConfigured(`SILENCED_SYSTEM_CHECKS must be a list of check ids such as ['security.W008'], got ${JSON.stringify(value)}.`);
  }
  return new Set(value as string[]);
}
