/**
 * create-app's errors. It imports no other Atrium package (it runs before
 * any is installed), so it has its own small base class with a stable `code`.
 */
export class CreateAppError extends Error {
  readonly code: string = 'E_CREATE_APP';
  /** Process exit code when this error ends the command. */
  readonly exitCode: number = 2;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The project name is not a valid npm package name or folder name. */
export class InvalidProjectName extends CreateAppError {
  override readonly code = 'E_INVALID_PROJECT_NAME';
}

/** The target folder exists and holds files, or is not a folder. */
export class TargetNotEmpty extends CreateAppError {
  override readonly code = 'E_TARGET_NOT_EMPTY';
}

/** A command-line option is unknown, missing its value or has a bad one. */
export class InvalidOption extends CreateAppError {
  override readonly code = 'E_INVALID_OPTION';
}

/** The project template or the local Atrium packages are missing. */
export class TemplateMissing extends CreateAppError {
  override readonly code = 'E_TEMPLATE_MISSING';
}

/** `npm install` in the new project failed; the project itself was written. */
export class InstallFailed extends CreateAppError {
  override readonly code = 'E_INSTALL_FAILED';
  override readonly exitCode = 1;
}
