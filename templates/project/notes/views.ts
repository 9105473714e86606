import { DetailView, ListView } from '@atrium/forms';
import { Note } from './models.js';

/** GET /notes/: ten notes a page (?page=2...), rendered by notes/note_list.html. */
export const noteList = ListView.asView({ model: Note, paginateBy: 10 });

/** GET /notes/<pk>/: one note (404 when missing), rendered by notes/note_detail.html. */
export const noteDetail = DetailView.asView({ model: Note });
