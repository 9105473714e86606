import { path } from '@atrium/core';
import * as views from './world/views.mjs';

/** The TechEmpower test types, one route each (ROOT_URLCONF). */
export default [
  path('plaintext', views.plaintext, { name: 'plaintext', methods: ['GET'] }),
  path('json', views.helloJson, { name: 'json', methods: ['GET'] }),
  path('db', views.singleQuery, { name: 'db', methods: ['GET'] }),
  path('queries', views.multipleQueries, { name: 'queries', methods: ['GET'] }),
  path('fortunes', views.fortunes, { name: 'fortunes', methods: ['GET'] }),
  path('updates', views.updates, { name: 'updates', methods: ['GET'] }),
  path('cached-queries', views.cachedQueries, { name: 'cached-queries', methods: ['GET'] }),
];
