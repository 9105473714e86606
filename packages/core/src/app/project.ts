import type { Application } from './create-application.js';
import type { RouteEntry } from '../routing/path.js';

/** An Application loaded from a project folder by `loadProject`. */
export interface Project extends Application {
  /** Absolute project folder. */
  readonly root: string;
  /** Absolute path of the settings module. */
  readonly settingsPath: string;
  /** Absolute path of the ROOT_URLCONF module. */
  readonly urlconfPath: string;
  readonly routes: readonly RouteEntry[];
}
