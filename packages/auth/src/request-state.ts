import type { AuthUser } from './guards/auth-user.js';
import type { Messages } from './messages/messages.js';
import type { Session } from './sessions/session.js';

/**
 * What the auth app's middleware put on `request.state`. Each is optional in
 * core's `Partial<RequestState>`: present when its middleware is installed.
 */
declare module '@atrium/core' {
  interface RequestState {
    /** Set by the 'sessions' middleware. */
    session: Session;
    /** The masked CSRF token for forms; set by the 'csrf' middleware (reading it sends the CSRF cookie). */
    csrfToken: string;
    /** Flash messages; set by the 'messages' middleware. */
    messages: Messages;
    /** The current user; set by the authentication middleware (AnonymousUser when logged out). */
    user: AuthUser;
  }
}

export {};
