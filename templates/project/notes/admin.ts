import { admin } from '@atrium/admin';
import { Note, Notebook } from './models.js';

/** The notes app in the admin at /admin/: a column per field, a filter by notebook, a search box. */
admin.register(Notebook, { listDisplay: ['name'], searchFields: ['name'], str: (notebook) => notebook.name });
admin.register(Note, {
  listDisplay: ['title', 'notebook.name', 'createdAt'],
  listFilter: ['notebook', 'createdAt'],
  searchFields: ['title', 'body'],
  str: (note) => note.title,
});
