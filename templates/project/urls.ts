import { include, path, RedirectView } from '@atrium/core';
import notesRoutes from './notes/urls.js';

/** The root route table (ROOT_URLCONF). Names inside the include are reversed as 'notes:<name>'. */
export default [
  // The site has one app so far, so its list is the home page.
  path('', RedirectView.asView({ patternName: 'notes:note-list' }), { name: 'home', methods: ['GET'] }),
  include('notes/', notesRoutes, { namespace: 'notes' }),
];
