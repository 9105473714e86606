import { path } from '@atrium/core';
import { postDetail, PostListView } from './views.js';

/** The blog's routes; the project includes them under 'blog/' with the 'blog' namespace. */
export default [
  path('', PostListView.asView(), { name: 'post-list', methods: ['GET'] }),
  path('tags/<slug:tag>/', PostListView.asView(), { name: 'tag', methods: ['GET'] }),
  path('<slug:slug>/', postDetail, { name: 'post-detail', methods: ['GET', 'POST'] }),
];
