import { ImproperlyConfigured, type AppContext } from '@atrium/core';

/** The admin's settings, read from the project settings (core keeps unknown keys for apps). */
export interface AdminSettings {
  /** The <title> suffix of every page, unless the site sets siteTitle. */
  ADMIN_SITE_TITLE: string | undefined;
  /** The header of every page, unless the site sets siteHeader. */
  ADMIN_SITE_HEADER: string | undefined;
}

/** Read and check ADMIN_* settings: each must be a string when set. */
export function adminSettings(app: AppContext): AdminSettings {
  const raw = app.settings as unknown as Record<string, unknown>;
  const read = (key: keyof AdminSettings): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ImproperlyConfigured(`The setting ${key} must be a string, got ${JSON.stringify(value)}.`);
    return value;
  };
  return { ADMIN_SITE_TITLE: read('ADMIN_SITE_TITLE'), ADMIN_SITE_HEADER: read('ADMIN_SITE_HEADER') };
}
