import type { AnyModel } from './model/model.js';
import type { Instance } from './model/model-types.js';

/** Passed to preSave/postSave receivers. */
export interface SaveInfo {
  /** True when the row is being inserted. */
  readonly created: boolean;
  /** Database alias. */
  readonly using: string;
  /** The fields being saved when save({ updateFields }) was used, else null. */
  readonly updateFields: readonly string[] | null;
}

/** Passed to preDelete/postDelete receivers. */
export interface DeleteInfo {
  readonly using: string;
}

type Receiver<I> = (instance: object, info: I) => unknown;

/**
 * A model signal: receivers connected for one model run (in connection
 * order, awaited) when an instance of it is saved or deleted. A receiver's
 * error propagates to the caller, as in Django.
 * @example
 * const off = signals.preSave.connect(Post, (post, { created }) => {
 *   if (created) post.slug = post.title.toLowerCase().replace(/\s+/g, '-');
 * });
 * off(); // disconnect
 */
export class ModelSignal<I> {
  readonly #receivers = new Map<AnyModel, Receiver<I>[]>();

  /** Connect a receiver for `model`; returns a function that disconnects it. */
  connect<M extends AnyModel>(model: M, receiver: (instance: Instance<M>, info: I) => unknown): () => void {
    const list = this.#receivers.get(model) ?? [];
    list.push(receiver as Receiver<I>);
    this.#receivers.set(model, list);
    return () => {
      this.disconnect(model, receiver);
    };
  }

  /** Remove a receiver; true when it was connected. */
  disconnect<M extends AnyModel>(model: M, receiver: (instance: Instance<M>, info: I) => unknown): boolean {
    const list = this.#receivers.get(model);
    const index = list?.indexOf(receiver as Receiver<I>) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    if (list.length === 0) this.#receivers.delete(model);
    return true;
  }

  /** True when any receiver listens for `model` (lets callers skip work). */
  hasReceivers(model: AnyModel): boolean {
    return this.#receivers.has(model);
  }

  /** Call every receiver of `model` in order. */
  async send(model: AnyModel, instance: object, info: I): Promise<void> {
    const list = this.#receivers.get(model);
    if (!list) return;
    for (const receiver of [...list]) await receiver(instance, info);
  }

  /** Disconnect everything (tests). */
  clear(): void {
    this.#receivers.clear();
  }
}

/**
 * Model lifecycle signals. Bulk operations (bulkCreate, bulkUpdate,
 * QuerySet.update) send none; QuerySet.delete sends pre/postDelete for the
 * rows it deletes directly (not for cascaded rows) when receivers exist.
 * @example
 * signals.postSave.connect(Post, async (post, { created }) => {
 *   if (created) await AuditLog.create({ message: `post ${post.id} created` });
 * });
 */
export const signals = {
  preSave: new ModelSignal<SaveInfo>(),
  postSave: new ModelSignal<SaveInfo>(),
  preDelete: new ModelSignal<DeleteInfo>(),
  postDelete: new ModelSignal<DeleteInfo>(),
};
