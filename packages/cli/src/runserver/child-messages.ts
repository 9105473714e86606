/** What a `runserver --noreload` child tells the reloading parent over IPC. */
export type ChildMessage =
  /** The server listens; the parent may report it. */
  | { type: 'listening'; url: string }
  /** The child cannot start for a reason no file change fixes (port taken): the parent should give up too. */
  | { type: 'fatal' };

/** True for a well-formed ChildMessage (IPC carries whatever the child sends). */
export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'fatal' || (type === 'listening' && typeof (value as { url?: unknown }).url === 'string');
}
