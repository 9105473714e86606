import { f, model, type AnyModel, type Instance } from '@atrium/orm';

/** The kinds of change the admin records. */
export const ADDITION = 1;
export const CHANGE = 2;
export const DELETION = 3;
export type ActionFlag = typeof ADDITION | typeof CHANGE | typeof DELETION;

/**
 * One row of an object's history: who did what to which object and when.
 * The user is kept as its key (text), so any user model works.
 */
export const LogEntry = model(
  'admin.LogEntry',
  {
    actionTime: f.datetime({ autoNowAdd: true }),
    userId: f.string({ maxLength: 255, index: true }),
    contentType: f.string({ maxLength: 255, index: true }),
    objectId: f.string({ maxLength: 255, index: true }),
    objectRepr: f.string({ maxLength: 200 }),
    actionFlag: f.integer(),
    changeMessage: f.text({ blank: true, default: '' }),
  },
  { ordering: ['-actionTime', '-id'], verboseName: 'log entry', verboseNamePlural: 'log entries' },
);

export type LogEntryInstance = Instance<typeof LogEntry>;

/** What a log entry says, for the history page. */
export function describeAction(flag: number): string {
  return flag === ADDITION ? 'Added' : flag === CHANGE ? 'Changed' : flag === DELETION ? 'Deleted' : 'Unknown';
}

/**
 * Record an admin action on an object.
 * @example await logAction({ user: request.state.user, model: Post, objectId: post.id, repr: 'Hello', flag: ADDITION });
 */
export async function logAction(entry: { userId: unknown; model: AnyModel; objectId: unknown; repr: string; flag: ActionFlag; message?: string }): Promise<LogEntryInstance> {
  return LogEntry.create({
    userId: String(entry.userId ?? ''),
    contentType: entry.model.meta.label,
    objectId: String(entry.objectId),
    objectRepr: entry.repr.slice(0, 200),
    actionFlag: entry.flag,
    changeMessage: entry.message ?? '',
  });
}
