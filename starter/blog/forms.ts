import { modelForm, Textarea } from '@atrium/forms';
import { Comment } from './models.js';

/** The comment form under each post: a name and the text; the view sets the post. */
export const CommentForm = modelForm(Comment, {
  fields: ['name', 'body'],
  labels: { name: 'Your name', body: 'Comment' },
  widgets: { body: new Textarea({ attrs: { rows: 4 } }) },
});
