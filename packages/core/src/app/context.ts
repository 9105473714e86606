import type { Settings } from '../settings/schema.js';
import type { AppRegistry } from '../apps/app-registry.js';
import type { Router } from '../routing/router.js';
import type { TemplateBackend } from '../templates/template-backend.js';
import type { SignedCookieReadOptions } from '../http/request.js';

/**
 * What a running project offers to requests, middleware and apps. One per
 * application; reached from a request as `request.app`.
 */
export interface AppContext {
  readonly settings: Settings;
  /** Absolute project folder (where the settings module lives). */
  readonly root: string;
  readonly apps: AppRegistry;
  readonly router: Router;
  /** The configured template backend, or null when TEMPLATES.BACKEND could not be loaded. */
  readonly templates: TemplateBackend | null;
  /** URL of a named route; throws NoReverseMatch naming the route and parameter. */
  reverse(name: string, params?: Record<string, unknown>): string;
  /** Sign a cookie value with SECRET_KEY, salted by the cookie name. */
  signCookie(name: string, value: string, salt?: string): string;
  /** Verify a signed cookie value; undefined when tampered with, foreign or expired. */
  unsignCookie(name: string, signed: string, options?: SignedCookieReadOptions): string | undefined;
}
