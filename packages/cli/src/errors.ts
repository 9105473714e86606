import { AtriumError } from '@atrium/core/errors';

/**
 * A command failed for a reason the user can fix; `manage` prints the message
 * alone (no stack) and exits 1.
 */
export class CommandError extends AtriumError {}

/** `runserver` was given an address it cannot parse. */
export class InvalidAddrPort extends CommandError {
  constructor(input: string, reason: string) {
    super('E_INVALID_ADDRPORT', `'${input}' is not a valid address and port: ${reason}. Examples: 8001, 0.0.0.0:8000, [::1]:8000.`);
  }
}

/** `runserver` could not listen (port taken, privileged port). */
export class PortUnavailable extends CommandError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_PORT_UNAVAILABLE', message, options);
  }
}

/** `startapp` was given a name or place it must refuse. */
export class InvalidAppName extends CommandError {
  constructor(message: string) {
    super('E_INVALID_APP_NAME', message);
  }
}

/** A command needs an answer on a terminal it does not have. */
export class ConfirmationRequired extends CommandError {
  constructor(message: string) {
    super('E_CONFIRMATION_REQUIRED', message);
  }
}

/** `manage serve` refuses settings that are unsafe in production (DEBUG on, a weak SECRET_KEY). */
export class UnsafeProductionSettings extends CommandError {
  constructor(message: string) {
    super('E_UNSAFE_PRODUCTION_SETTINGS', message);
  }
}

/** A `manage serve` worker could not start, so the server stops instead of restarting it in a loop. */
export class WorkerBootFailed extends CommandError {
  constructor(message: string) {
    super('E_WORKER_BOOT_FAILED', message);
  }
}

/** A `manage serve` option has a value it cannot use. */
export class InvalidServeOption extends CommandError {
  constructor(message: string) {
    super('E_INVALID_SERVE_OPTION', message);
  }
}
