/**
 * @atrium/admin — the auto-generated admin site: register a model and staff
 * users get list, search, filter, add, change, delete and history pages.
 * Install with INSTALLED_APPS: [..., '@atrium/admin'] and route it with
 * include('admin/', admin.urls, { namespace: 'admin' }).
 */
export { AdminSite, admin, type AdminSiteOptions } from './admin-site.js';
export { ModelAdmin, type AdminPermission, type ResolvedColumn } from './model-admin.js';
export type { ModelAdminOptions, AdminAction, ListColumn, Fieldset, FieldName, FieldPathOf, PermissionHook } from './model-admin-options.js';
export { InlineAdmin, TabularInline, StackedInline, type InlineOptions, type InlineStyle, type InlinePermissionHook } from './inline-admin.js';
export { AlreadyRegistered, NotRegistered, AdminOptionError } from './errors.js';
export { LogEntry, logAction, describeAction, ADDITION, CHANGE, DELETION, type ActionFlag, type LogEntryInstance } from './log-entry.js';
export { planDeletion, type DeletionPlan, type DeletedObject } from './deleted-objects.js';
export { searchCondition } from './search.js';
export { templateNames } from './views/admin-page.js';
export { csvExportAction, csvCell } from './csv-export-action.js';
export { adminSettings, type AdminSettings } from './admin-settings.js';
export { registerAuthAdmin, userAdminOptions, groupAdminOptions } from './auth-admin/user-admin.js';
export type { AdminObjectView } from './model-admin-options.js';
