import type { SettingsInput } from './schema.js';

/**
 * Declare a project's settings with type checking; validation happens when the
 * project loads (`validateSettings`), so a bad value stops start-up.
 * @example export default defineSettings({ SECRET_KEY: process.env.SECRET_KEY!, DEBUG: true });
 */
export function defineSettings<const T extends SettingsInput>(settings: T): T {
  return settings;
}
