import { path } from '@atrium/core';
import { noteDetail, noteList } from './views.js';

/** The notes app's routes; the project includes them under 'notes/' with the 'notes' namespace. */
export default [
  path('', noteList, { name: 'note-list', methods: ['GET'] }),
  path('<int:pk>/', noteDetail, { name: 'note-detail', methods: ['GET'] }),
];
