import { path } from '@atrium/core';
import { AboutView, hello, home, status } from './views.js';

/** The pages app's routes; the project includes them under the 'pages' namespace. */
export default [
  path('', home, { name: 'home', methods: ['GET'] }),
  path('hello/<slug:name>/', hello, { name: 'hello', methods: ['GET'] }),
  path('about/', AboutView.asView(), { name: 'about' }),
  path('api/status/', status, { name: 'status', methods: ['GET'] }),
];
