import type { Settings } from '@atrium/core';
import { GENERATE_KEY_HINT, secretKeyWeakness } from '../checks/secret-key-strength.js';
import { UnsafeProductionSettings } from '../errors.js';

/**
 * Refuse settings that must never reach production: DEBUG on (error pages
 * show code and settings) unless `insecureDebug`, and a placeholder or
 * guessable SECRET_KEY (anyone could forge sessions). An empty or short key
 * never gets here: settings validation already refuses it.
 * @example refuseUnsafeSettings(project.context.settings, { insecureDebug: false });
 */
export function refuseUnsafeSettings(settings: Settings, options: { insecureDebug: boolean }): void {
  if (settings.DEBUG && !options.insecureDebug) {
    throw new UnsafeProductionSettings(
      'DEBUG is on, and `manage serve` is the production server: error pages would show source code and settings to anyone. Set DEBUG to false (e.g. ATRIUM_DEBUG=false), use `manage runserver` for development, or pass --insecure-debug to serve anyway.',
    );
  }
  const weakness = secretKeyWeakness(settings.SECRET_KEY, false);
  if (weakness !== null) {
    throw new UnsafeProductionSettings(`SECRET_KEY ${weakness}; \`manage serve\` will not sign sessions with it. ${GENERATE_KEY_HINT}`);
  }
}
