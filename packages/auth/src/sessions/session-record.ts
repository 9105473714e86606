import { f, model, type Infer } from '@atrium/orm';

/**
 * A session of the 'db' engine (table auth_session): the key, the JSON data
 * and when it expires; expired rows are removed by `manage clearsessions`.
 * @example await SessionRecord.objects.filter({ expireDate: { lt: new Date() } }).count();
 */
export const SessionRecord = model(
  'auth.SessionRecord',
  {
    sessionKey: f.string({ maxLength: 40, primaryKey: true }),
    sessionData: f.text(),
    expireDate: f.datetime({ index: true }),
  },
  { table: 'auth_session', verboseName: 'session' },
);
export type SessionRecord = Infer<typeof SessionRecord>;
