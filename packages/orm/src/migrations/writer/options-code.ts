import type { ModelStateOptions } from '../state/model-state.js';
import { code, type Code } from './code.js';

const ORDER = ['table', 'ordering', 'indexes', 'constraints', 'verboseName', 'verboseNamePlural', 'database'];

/**
 * Model options as an object literal (undefined when there are none);
 * check conditions keep their Q/F form.
 * @example
 * printCode(optionsCode({ ordering: ['-id'] })!, 0); // "{ ordering: ['-id'] }"
 */
export function optionsCode(options: ModelStateOptions): Code | undefined {
  const entries = Object.entries(options)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b));
  if (entries.length === 0) return undefined;
  return code.object(entries.map(([name, value]) => [name, code.value(value)] as const));
}
