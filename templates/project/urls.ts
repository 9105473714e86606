import { include, path, RedirectView } from '@atrium/core';
import { admin } from '@atrium/admin';
import { authRoutes } from '@atrium/auth';
import notesRoutes from './notes/urls.js';
// Each app's admin.ts registers its models on the admin site; import it here, before the site's routes are built.
import './notes/admin.js';

/** The root route table (ROOT_URLCONF). Names inside an include are reversed as '<namespace>:<name>'. */
export default [
  // The site has one app so far, so its list is the home page.
  path('', RedirectView.asView({ patternName: 'notes:note-list' }), { name: 'home', methods: ['GET'] }),
  include('notes/', notesRoutes, { namespace: 'notes' }),
  // The admin site: log in as a staff user (npx manage createsuperuser makes one).
  include('admin/', admin.urls, { namespace: 'admin' }),
  // Log in and out, change or reset a password: /accounts/login/, /accounts/logout/...
  include('accounts/', authRoutes, { namespace: 'auth' }),
];
