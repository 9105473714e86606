import type { AppContext } from '@atrium/core';

/** How serious a check result is; only errors make `manage check` fail. */
export type CheckLevel = 'error' | 'warning' | 'info';

/** One finding of a system check, with a stable Django-style id such as `core.E001`. */
export interface CheckMessage {
  level: CheckLevel;
  /** `<area>.<E|W|I><number>`, e.g. `templates.W001`; listed in SILENCED_SYSTEM_CHECKS to hide it. */
  id: string;
  message: string;
  /** How to fix it. */
  hint?: string;
}

export interface CheckOptions {
  /** Add the production checks (`manage check --deploy`). */
  deploy: boolean;
}

/**
 * A system check: inspects the loaded project and returns what is wrong.
 * Apps contribute their own under `defineApp({ extensions: { checks: [...] } })`.
 * @example const noAdmins: SystemCheck = (app) => app.settings['ADMINS'] ? [] : [{ level: 'warning', id: 'mail.W001', message: 'ADMINS is empty' }];
 */
export type SystemCheck = (context: AppContext, options: CheckOptions) => CheckMessage[] | Promise<CheckMessage[]>;

/** Build a CheckMessage; keeps check bodies short. */
export function checkMessage(level: CheckLevel, id: string, message: string, hint?: string): CheckMessage {
  return hint === undefined ? { level, id, message } : { level, id, message, hint };
}
