import { randomBytes } from 'node:crypto';
import { NoReverseMatch, type HttpRequest } from '@atrium/core';

/** Who is chatting: the logged-in user, a guest when the site has no accounts, or null (log in first). */
export interface Chatter {
  readonly name: string;
  readonly loginUrl: string | null;
}

/**
 * The name shown for `request`: the username when logged in. A site with
 * accounts (an 'auth:login' route) requires login, so an anonymous visitor
 * gets null and the login URL; without accounts everyone is a guest.
 */
export async function chatter(request: HttpRequest): Promise<Chatter | { name: null; loginUrl: string }> {
  // Only a site with the auth app has users; it has loaded @atrium/auth already, so this import costs nothing there.
  if (request.app.apps.has('auth')) {
    const { getUser } = await import('@atrium/auth');
    const user = await getUser(request);
    if (user.isAuthenticated) return { name: user.getUsername(), loginUrl: null };
  }
  const loginUrl = loginRoute(request);
  if (loginUrl !== null) return { name: null, loginUrl };
  return { name: `guest-${randomBytes(3).toString('hex')}`, loginUrl: null };
}

function loginRoute(request: HttpRequest): string | null {
  try {
    return request.reverse('auth:login');
  } catch (error) {
    if (error instanceof NoReverseMatch) return null;
    throw error;
  }
}
