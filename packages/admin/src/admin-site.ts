import { ImproperlyConfigured, Http404, PermissionDenied, path, type AppContext, type HttpRequest, type HttpResponse, type RouteEntry } from '@atrium/core';
import { adminSettings } from './admin-settings.js';
import { authSettings, isTwoFactorVerified, redirectWithNext } from '@atrium/auth';
import type { AnyModel, Instance } from '@atrium/orm';
import { AlreadyRegistered, NotRegistered } from './errors.js';
import { ModelAdmin, type AdminPermission } from './model-admin.js';
import type { ModelAdminOptions } from './model-admin-options.js';
import { isAdminUser, loadUser } from './user-of.js';
import { indexView } from './views/index-view.js';
import { changelistView } from './views/changelist-view.js';
import { changeFormView } from './views/change-form-view.js';
import { deleteView } from './views/delete-view.js';
import { historyView } from './views/history-view.js';
import { objectView } from './views/object-view.js';
import { globalSearchView } from './views/global-search-view.js';
import { adminLoginView } from './views/login-view.js';
import { adminLogoutView } from './views/logout-view.js';
import { autocompleteView } from './views/autocomplete-view.js';

/** Options of a custom AdminSite. */
export interface AdminSiteOptions {
  /** The namespace the site's routes are included under (default 'admin'): include('admin/', site.urls, { namespace: site.name }). */
  name?: string;
  /** The <title> suffix (default: the ADMIN_SITE_TITLE setting, else 'Atrium site admin'). */
  siteTitle?: string;
  /** The header of every page (default: the ADMIN_SITE_HEADER setting, else 'Atrium administration'). */
  siteHeader?: string;
  /** Where visitors who are not active staff are sent to log in (a path, URL or route name; default the site's own login page). */
  loginUrl?: string;
}

type Params = Record<string, unknown>;

/**
 * An admin site: the registered models and the routes of their pages.
 * The default site is `admin`; make more with `new AdminSite({ name })`.
 * @example
 * admin.register(Post, { listDisplay: ['title', 'author.name'], searchFields: ['title'] });
 * export const routes = [include('admin/', admin.urls, { namespace: 'admin' })];
 */
export class AdminSite {
  readonly name: string;
  readonly #siteTitle: string | undefined;
  readonly #siteHeader: string | undefined;
  readonly loginUrl: string | undefined;
  readonly #registry = new Map<string, ModelAdmin>();

  constructor(options: AdminSiteOptions = {}) {
    this.name = options.name ?? 'admin';
    this.#siteTitle = options.siteTitle;
    this.#siteHeader = options.siteHeader;
    this.loginUrl = options.loginUrl;
  }

  /**
   * Register a model with optional options (checked against its fields now).
   * @example admin.register(Post, { listDisplay: ['title', 'status'], listFilter: ['status'] });
   */
  register<M extends AnyModel>(model: M, options: ModelAdminOptions<M> = {}): ModelAdmin<M> {
    const key = this.#key(model.meta.appLabel, model.meta.modelName);
    if (this.#registry.has(key)) throw new AlreadyRegistered(model.meta.label, this.name);
    const modelAdmin = new ModelAdmin(model, options);
    this.#registry.set(key, modelAdmin as unknown as ModelAdmin);
    return modelAdmin;
  }

  /** Remove a model from the site. */
  unregister(model: AnyModel): void {
    if (!this.#registry.delete(this.#key(model.meta.appLabel, model.meta.modelName))) throw new NotRegistered(model.meta.label, this.name);
  }

  isRegistered(model: AnyModel): boolean {
    return this.#registry.has(this.#key(model.meta.appLabel, model.meta.modelName));
  }

  /** The ModelAdmin of a registered model. */
  adminFor<M extends AnyModel>(model: M): ModelAdmin<M> {
    const found = this.#registry.get(this.#key(model.meta.appLabel, model.meta.modelName));
    if (!found) throw new NotRegistered(model.meta.label, this.name);
    return found as unknown as ModelAdmin<M>;
  }

  /** Every registered ModelAdmin, by app then model name. */
  get registered(): ModelAdmin[] {
    return [...this.#registry.values()].sort((a, b) => a.appLabel.localeCompare(b.appLabel) || a.model.meta.verboseNamePlural.localeCompare(b.model.meta.verboseNamePlural));
  }

  #key(app: string, model: string): string {
    return `${app}.${model.toLowerCase()}`;
  }

  // Default admins of unregistered models, made once: strOf runs per row (foreign-key columns of a changelist).
  readonly #defaultAdmins = new WeakMap<AnyModel, ModelAdmin>();

  /** The text of any object: its model's admin `str` when registered, else its own. */
  readonly strOf = (model: AnyModel, obj: Record<string, unknown>): string => {
    let admin = this.#registry.get(this.#key(model.meta.appLabel, model.meta.modelName));
    if (!admin) {
      admin = this.#defaultAdmins.get(model);
      if (!admin) this.#defaultAdmins.set(model, (admin = new ModelAdmin(model) as unknown as ModelAdmin));
    }
    return admin.str(obj as Instance<AnyModel>);
  };

  /** The page title suffix: the site's option, else ADMIN_SITE_TITLE, else 'Atrium site admin'. */
  siteTitle(app: AppContext): string {
    return this.#siteTitle ?? adminSettings(app).ADMIN_SITE_TITLE ?? 'Atrium site admin';
  }

  /** The page header: the site's option, else ADMIN_SITE_HEADER, else 'Atrium administration'. */
  siteHeader(app: AppContext): string {
    return this.#siteHeader ?? adminSettings(app).ADMIN_SITE_HEADER ?? 'Atrium administration';
  }

  /** The admin of the model in the URL, or 404. */
  modelAdminFromParams(params: Params): ModelAdmin {
    const found = this.#registry.get(`${String(params['app'])}.${String(params['model'])}`);
    if (!found) throw new Http404(`No model '${String(params['app'])}.${String(params['model'])}' is registered on the admin site '${this.name}'.`);
    return found;
  }

  /** Refuse unless the user may do `action` on the model (403). */
  async require(request: HttpRequest, admin: ModelAdmin, action: AdminPermission, obj?: Instance<AnyModel>): Promise<void> {
    if (!(await admin.hasPermission(request, action, obj))) throw new PermissionDenied(`You do not have permission to ${action} ${admin.model.meta.verboseNamePlural}.`);
  }

  /** URL of one of the site's pages. */
  url(request: HttpRequest, page: 'index' | 'login' | 'logout' | 'search' | 'autocomplete' | 'changelist' | 'add' | 'change' | 'delete' | 'history' | 'object_view', admin?: ModelAdmin, id?: unknown, view?: string): string {
    const params: Record<string, unknown> = admin ? { app: admin.appLabel, model: admin.urlName } : {};
    if (id !== undefined) params['id'] = String(id);
    if (view !== undefined) params['view'] = view;
    try {
      return request.reverse(`${this.name}:${page}`, params);
    } catch (error) {
      throw new ImproperlyConfigured(`The admin site '${this.name}' cannot reverse its pages; include its routes with include('admin/', site.urls, { namespace: '${this.name}' }).`, { cause: error });
    }
  }

  /**
   * Only active staff reach the admin: others are sent to the login page
   * with `?next=`; with AUTH_REQUIRE_2FA_FOR_STAFF, staff who have not passed
   * a second factor in this session go to auth's verify page (which sends
   * those without an authenticator to enrol).
   */
  #staffOnly(view: (request: HttpRequest, params: Params) => Promise<HttpResponse>) {
    return async (request: HttpRequest, params: Params): Promise<HttpResponse> => {
      const settings = authSettings(request.app);
      if (!isAdminUser(await loadUser(request))) return redirectWithNext(request, this.loginUrl ?? `${this.name}:login`, settings.REDIRECT_FIELD_NAME);
      if (settings.AUTH_REQUIRE_2FA_FOR_STAFF && !(await isTwoFactorVerified(request))) return redirectWithNext(request, settings.TWO_FACTOR_VERIFY_URL, settings.REDIRECT_FIELD_NAME);
      return view(request, params);
    };
  }

  /** The add page: the model admin's own addView, else the change form; both need the add permission. */
  async #addView(admin: ModelAdmin, request: HttpRequest): Promise<HttpResponse> {
    if (!admin.options.addView) return changeFormView(this, admin, request, null);
    await this.require(request, admin, 'add');
    return admin.options.addView(this, admin, request);
  }

  /**
   * The site's routes, to include under a prefix with the site's name as namespace.
   * @example include('admin/', admin.urls, { namespace: 'admin' })
   */
  get urls(): RouteEntry[] {
    return [
      path('', this.#staffOnly((request) => indexView(this, request)), { name: 'index' }),
      path('login/', (request) => adminLoginView(this, request), { name: 'login', methods: ['GET', 'POST'] }),
      path('logout/', (request) => adminLogoutView(this, request), { name: 'logout', methods: ['POST'] }),
      path('search/', this.#staffOnly((request) => globalSearchView(this, request)), { name: 'search' }),
      path('autocomplete/', this.#staffOnly((request) => autocompleteView(this, request)), { name: 'autocomplete' }),
      path('<str:app>/<str:model>/', this.#staffOnly((request, params) => changelistView(this, this.modelAdminFromParams(params), request)), { name: 'changelist', methods: ['GET', 'POST'] }),
      path('<str:app>/<str:model>/add/', this.#staffOnly((request, params) => this.#addView(this.modelAdminFromParams(params), request)), { name: 'add', methods: ['GET', 'POST'] }),
      path('<str:app>/<str:model>/<str:id>/change/', this.#staffOnly((request, params) => changeFormView(this, this.modelAdminFromParams(params), request, String(params['id']))), { name: 'change', methods: ['GET', 'POST'] }),
      path('<str:app>/<str:model>/<str:id>/delete/', this.#staffOnly((request, params) => deleteView(this, this.modelAdminFromParams(params), request, String(params['id']))), { name: 'delete', methods: ['GET', 'POST'] }),
      path('<str:app>/<str:model>/<str:id>/history/', this.#staffOnly((request, params) => historyView(this, this.modelAdminFromParams(params), request, String(params['id']))), { name: 'history' }),
      // Last: the fixed pages above win over a view named like them.
      path('<str:app>/<str:model>/<str:id>/<str:view>/', this.#staffOnly((request, params) => objectView(this, this.modelAdminFromParams(params), request, String(params['id']), String(params['view']))), { name: 'object_view', methods: ['GET', 'POST'] }),
    ];
  }
}

/** The default admin site. */
export const admin = new AdminSite();
