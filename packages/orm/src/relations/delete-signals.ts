import type { AnyModel } from '../model/model.js';
import { signals } from '../signals.js';
import { chunks } from './instance-keys.js';
import { dialectOf } from './db-access.js';
import { querySetOf } from './related-queryset.js';

/** True when a preDelete or postDelete receiver listens for `model` (its rows must then be loaded). */
export function hasDeleteReceivers(model: AnyModel): boolean {
  return signals.preDelete.hasReceivers(model) || signals.postDelete.hasReceivers(model);
}

/** The instances of `keys`, loaded for the receivers (one query per chunk). */
export async function loadForSignals(model: AnyModel, keys: readonly unknown[], alias: string): Promise<object[]> {
  const instances: object[] = [];
  for (const batch of chunks(keys, dialectOf(alias))) instances.push(...(await querySetOf(model, alias).filter({ pk: { in: batch } })));
  return instances;
}

export async function sendPreDelete(model: AnyModel, instances: readonly object[], alias: string): Promise<void> {
  for (const instance of instances) await signals.preDelete.send(model, instance, { using: alias });
}

export async function sendPostDelete(model: AnyModel, instances: readonly object[], alias: string): Promise<void> {
  for (const instance of instances) await signals.postDelete.send(model, instance, { using: alias });
}
