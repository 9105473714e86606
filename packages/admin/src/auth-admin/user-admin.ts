import { Group, Permission, getUserModel, userModelConfig } from '@atrium/auth';
import { ModelMultipleChoiceField, SelectMultiple, modelForm, type ModelFormClass } from '@atrium/forms';
import type { AnyModel } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import type { ModelAdminOptions } from '../model-admin-options.js';
import { addUserView, changePasswordView } from './user-views.js';

type Row = Record<string, unknown>;

/** 'auth | user | Can add user': what a permission looks like in a list of hundreds. */
function permissionLabel(permission: Row): string {
  return `${String(permission['appLabel'])} | ${String(permission['model'])} | ${String(permission['name'])}`;
}

/**
 * The many-to-many pickers of the User and Group forms: a tall multi-select
 * (admin.js adds a type-to-filter box above it), permissions in a stable order.
 */
function relationPickers(names: readonly string[]): Record<string, ModelMultipleChoiceField<Row>> {
  const picker = (label: string) => new SelectMultiple({ attrs: { size: 10, 'data-filterable': label, class: 'relation-picker' } });
  const pickers: Record<string, ModelMultipleChoiceField<Row>> = {};
  if (names.includes('groups')) {
    pickers['groups'] = new ModelMultipleChoiceField<Row>(Group.objects.orderBy('name') as never, { required: false, label: 'Groups', choiceLabel: (group) => String(group['name']), widget: picker('groups') });
  }
  for (const name of ['userPermissions', 'permissions']) {
    if (!names.includes(name)) continue;
    pickers[name] = new ModelMultipleChoiceField<Row>(Permission.objects.orderBy('appLabel', 'model', 'codename') as never, {
      required: false,
      label: name === 'permissions' ? 'Permissions' : 'User permissions',
      choiceLabel: permissionLabel,
      widget: picker('permissions'),
    });
  }
  return pickers;
}

/** The default form with the relation pickers swapped in (for the fields the form has: none for a view-only user). */
function withPickers<M extends AnyModel>(model: M, defaultForm: ModelFormClass<M, never>): ModelFormClass<M, never> {
  const names = Object.keys(defaultForm.declaredFields);
  const pickers = relationPickers(names);
  if (Object.keys(pickers).length === 0) return defaultForm;
  return modelForm(model as AnyModel, { fields: names, formFields: pickers } as never) as unknown as ModelFormClass<M, never>;
}

/**
 * The User admin: list with staff/superuser/active/group filters and search,
 * a change form without the password hash (its own page sets a new one) and
 * with group and permission pickers, an add page asking for a username and
 * the password twice. Works with a custom AUTH_USER_MODEL: only the fields
 * the model has are used.
 */
export function userAdminOptions(model: AnyModel): ModelAdminOptions<AnyModel> {
  const has = (name: string) => model.meta.fieldMap.has(name);
  const only = (names: readonly string[]) => names.filter(has);
  const username = userModelConfig(model).usernameField;
  const fieldsets: Array<readonly [string | null, { fields: string[] }]> = [
    [null, { fields: [username] }],
    ['Personal info', { fields: only(['firstName', 'lastName', 'email']).filter((name) => name !== username) }],
    ['Permissions', { fields: only(['isActive', 'isStaff', 'isSuperuser', 'groups', 'userPermissions']) }],
    ['Important dates', { fields: only(['lastLogin', 'dateJoined']) }],
  ];
  return {
    listDisplay: only([username, 'email', 'firstName', 'lastName', 'isStaff']),
    listFilter: only(['isStaff', 'isSuperuser', 'isActive', 'groups']),
    searchFields: only([username, 'firstName', 'lastName', 'email']),
    ordering: [username],
    fieldsets: fieldsets.filter(([, set]) => set.fields.length > 0),
    readonlyFields: only(['lastLogin', 'dateJoined']),
    str: (user) => String((user as Row)[username]),
    getForm: (_request, _obj, defaultForm) => withPickers(model, defaultForm),
    addView: addUserView,
    objectViews: [{ name: 'password', label: 'Change password', permission: 'change', view: changePasswordView }],
  };
}

/** The Group admin: search by name, a permissions picker. */
export function groupAdminOptions(): ModelAdminOptions<typeof Group> {
  return {
    listDisplay: ['name'],
    searchFields: ['name'],
    ordering: ['name'],
    str: (group) => group.name,
    getForm: (_request, _obj, defaultForm) => withPickers(Group, defaultForm),
  };
}

/**
 * Register the user model (AUTH_USER_MODEL) and Group on `site`, unless the
 * project registered them itself. The admin app does this for the default
 * site when '@atrium/auth' is installed; call it for a site of your own.
 * @example registerAuthAdmin(mySite)
 */
export function registerAuthAdmin(site: AdminSite): void {
  const user = getUserModel() as AnyModel;
  if (!site.isRegistered(user)) site.register(user, userAdminOptions(user));
  if (!site.isRegistered(Group)) site.register(Group, groupAdminOptions());
}
