import type { AppContext } from '@atrium/core';
import { allModels, connection, type AnyModel } from '@atrium/orm';
import { importAppModels } from '../apps/import-app-models.js';
import { Permission } from './permission.js';

/** The permissions every model gets (Django's default_permissions). */
export const DEFAULT_PERMISSIONS = ['view', 'add', 'change', 'delete'] as const;
export type DefaultPermission = (typeof DEFAULT_PERMISSIONS)[number];

/** One permission row to create. */
export interface PermissionSpec {
  readonly appLabel: string;
  readonly model: string;
  readonly codename: string;
  readonly name: string;
}

/**
 * The default permissions of `model`: `view_post`, `add_post`,
 * `change_post`, `delete_post` for blog.Post. Many-to-many join tables
 * created automatically get none (they are edited through their owner).
 * @example defaultPermissions(Post).map((p) => p.codename) // ['view_post', 'add_post', 'change_post', 'delete_post']
 */
export function defaultPermissions(model: AnyModel): PermissionSpec[] {
  if (model.meta.autoCreatedFor !== null) return [];
  const modelName = model.meta.modelName.toLowerCase();
  return DEFAULT_PERMISSIONS.map((action) => ({
    appLabel: model.meta.appLabel,
    model: modelName,
    codename: `${action}_${modelName}`,
    name: `Can ${action} ${model.meta.verboseName}`,
  }));
}

/**
 * Create the default permissions of `models` that do not exist yet, in one
 * query to read and one to insert; returns how many were created. Safe to
 * run again (Django's create_permissions).
 * @example await createPermissions([Post, Comment]); // 8 the first time, 0 after
 */
export async function createPermissions(models: Iterable<AnyModel>, options: { using?: string } = {}): Promise<number> {
  const wanted = [...models].flatMap(defaultPermissions);
  if (wanted.length === 0) return 0;
  const manager = options.using ? Permission.objects.using(options.using) : Permission.objects;
  const labels = [...new Set(wanted.map((spec) => spec.appLabel))];
  const existing = new Set((await manager.filter({ appLabel: { in: labels } }).valuesList('appLabel', 'codename')).map(([app, codename]) => `${app}.${codename}`));
  const missing = wanted.filter((spec, index) => {
    const key = `${spec.appLabel}.${spec.codename}`;
    // Two models of one app cannot share a codename, but a list may repeat a model.
    return !existing.has(key) && wanted.findIndex((other) => `${other.appLabel}.${other.codename}` === key) === index;
  });
  if (missing.length > 0) await manager.bulkCreate(missing.map((spec) => ({ ...spec })));
  return missing.length;
}

/**
 * Create the default permissions of every model of the installed apps — the
 * post-migrate step (`manage migrate` runs it through the auth app's
 * `postMigrate` extension). Does nothing, returning 0, until the
 * auth_permission table exists (before auth's own migration ran).
 * @example await syncPermissions(project.context);
 */
export async function syncPermissions(app: Pick<AppContext, 'apps'>, options: { using?: string } = {}): Promise<number> {
  const alias = options.using ?? 'default';
  const installed = new Set(app.apps.all().map((config) => config.label));
  await importAppModels(app.apps.all());
  const tables = await connection(alias).kysely.introspection.getTables();
  if (!tables.some((table) => table.name === Permission.meta.table)) return 0;
  const models = allModels().filter((model) => installed.has(model.meta.appLabel) && model.meta.database === alias);
  return createPermissions(models, { using: alias });
}
