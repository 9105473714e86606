import { f, model } from '@atrium/orm';

/**
 * A notebook groups notes. After changing a model, run `npx manage makemigrations`
 * to write the migration and `npx manage migrate` to apply it.
 */
export const Notebook = model(
  'notes.Notebook',
  {
    name: f.string({ maxLength: 100, unique: true }),
  },
  { ordering: ['name'] },
);

/** A note, newest first. */
export const Note = model(
  'notes.Note',
  {
    notebook: f.foreignKey(() => Notebook, { onDelete: 'CASCADE', relatedName: 'notes' }),
    title: f.string({ maxLength: 200 }),
    body: f.text({ default: '' }),
    createdAt: f.datetime({ autoNowAdd: true }),
  },
  { ordering: ['-createdAt', '-id'] },
);
