import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkMessage, type SystemCheck } from './check-message.js';
import { GENERATE_KEY_HINT, secretKeyWeakness } from './secret-key-strength.js';

/** core.E001: a placeholder or low-entropy SECRET_KEY outside DEBUG lets anyone forge cookies and tokens. */
export const secretKeyCheck: SystemCheck = ({ settings }) => {
  if (settings.DEBUG) return [];
  const weakness = secretKeyWeakness(settings.SECRET_KEY, false);
  if (weakness === null) return [];
  return [checkMessage('error', 'core.E001', `SECRET_KEY ${weakness}, and DEBUG is off.`, GENERATE_KEY_HINT)];
};

/** core.E002: without DEBUG's loopback default, an empty ALLOWED_HOSTS refuses every request with 400. */
export const allowedHostsCheck: SystemCheck = ({ settings }) => {
  if (settings.DEBUG || settings.ALLOWED_HOSTS.length > 0) return [];
  return [
    checkMessage(
      'error',
      'core.E002',
      'ALLOWED_HOSTS is empty and DEBUG is off, so every request will be refused with 400 Bad Request.',
      "List the host names the site answers to, e.g. ALLOWED_HOSTS: ['example.com'] (or ATRIUM_ALLOWED_HOSTS=example.com).",
    ),
  ];
};

/** templates.W001: a TEMPLATES.DIRS entry that does not exist is usually a typo or a wrong working folder. */
export const templateDirsCheck: SystemCheck = ({ settings, root, templates }) => {
  // Without a template engine the folders are never read; an API-only project keeps the default DIRS.
  if (templates === null) return [];
  return settings.TEMPLATES.DIRS.filter((dir) => !existsSync(resolve(root, dir))).map((dir) =>
    checkMessage('warning', 'templates.W001', `TEMPLATES.DIRS entry '${dir}' does not exist (${resolve(root, dir)}).`, 'Create the folder or remove the entry.'),
  );
};

/** staticfiles.W001: a STATICFILES_DIRS entry that does not exist serves nothing. */
export const staticDirsCheck: SystemCheck = ({ settings, root }) =>
  settings.STATICFILES_DIRS
    // 'static' is the default and optional: most projects keep static files in their apps.
    .filter((dir) => dir !== 'static' && !existsSync(resolve(root, dir)))
    .map((dir) => checkMessage('warning', 'staticfiles.W001', `STATICFILES_DIRS entry '${dir}' does not exist (${resolve(root, dir)}).`, 'Create the folder or remove the entry.'));

/** staticfiles.I001 / W002: collectstatic needs STATIC_ROOT before the site can be deployed. */
export const staticRootCheck: SystemCheck = ({ settings }, { deploy }) => {
  if (settings.STATIC_ROOT !== null) return [];
  const hint = "Set STATIC_ROOT to the folder `manage collectstatic` fills and the web server serves, e.g. STATIC_ROOT: 'staticfiles'.";
  if (settings.DEBUG && !deploy) {
    return [checkMessage('info', 'staticfiles.I001', 'STATIC_ROOT is not set; the dev server serves static files from the apps, but a deployment needs it.', hint)];
  }
  return [checkMessage('warning', 'staticfiles.W002', 'STATIC_ROOT is not set, so `manage collectstatic` cannot gather static files for production.', hint)];
};

/** The checks `manage check` always runs. */
export const coreChecks: readonly SystemCheck[] = [secretKeyCheck, allowedHostsCheck, templateDirsCheck, staticDirsCheck, staticRootCheck];
