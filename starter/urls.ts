import { include } from '@atrium/core';
import pagesRoutes from './pages/urls.js';
import chatRoutes from './chat/urls.js';

/** The root route table (ROOT_URLCONF). Names inside the include are reversed as 'pages:<name>'. */
export default [include('', pagesRoutes, { namespace: 'pages' }), include('chat/', chatRoutes, { namespace: 'chat' })];
