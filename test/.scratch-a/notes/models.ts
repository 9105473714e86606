import { model, f } from '@atrium/orm';
export const Note = model('notes.Note', { text: f.text(), done: f.boolean({ default: false }) });
