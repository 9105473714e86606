import { AtriumError } from '@atrium/core';

/** A model registered twice on the same admin site. */
export class AlreadyRegistered extends AtriumError {
  constructor(label: string, site: string) {
    super('E_ADMIN_ALREADY_REGISTERED', `The model ${label} is already registered on the admin site '${site}'; call site.unregister(${label.split('.')[1]}) first to replace its options.`);
  }
}

/** A model looked up or unregistered that the site does not know. */
export class NotRegistered extends AtriumError {
  constructor(label: string, site: string) {
    super('E_ADMIN_NOT_REGISTERED', `The model ${label} is not registered on the admin site '${site}'; call site.register(${label.split('.')[1]}) first.`);
  }
}

/** A ModelAdmin option names something the model does not have. */
export class AdminOptionError extends AtriumError {
  constructor(message: string) {
    super('E_ADMIN_OPTION', message);
  }
}
