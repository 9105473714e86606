import { include } from '@atrium/core';
import { admin } from '@atrium/admin';
import { authRoutes } from '@atrium/auth';
import blogRoutes from './blog/urls.js';
import chatRoutes from './chat/urls.js';
import pagesRoutes from './pages/urls.js';
// Each app's admin.ts registers its models on the admin site, before its routes are built below.
import './blog/admin.js';

/** The root route table (ROOT_URLCONF). Names inside an include are reversed as '<namespace>:<name>'. */
export default [
  include('', pagesRoutes, { namespace: 'pages' }),
  include('blog/', blogRoutes, { namespace: 'blog' }),
  include('chat/', chatRoutes, { namespace: 'chat' }),
  include('admin/', admin.urls, { namespace: 'admin' }),
  include('accounts/', authRoutes, { namespace: 'auth' }),
];
