// A project model pointing at the built-in User by reference
// (`f.foreignKey(() => User)`) rather than by label. The user model's type is
// an intersection with a user-typed manager; inferring a model's fields
// through `M extends Model<any, infer F>` made tsc compare those managers
// structurally, recursing until it overflowed its stack. Compiling this file
// (tsc -b runs over the tests) is half of the test.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { f, model, type Instance, type PkValue } from '@atrium/orm';
import { Group, Permission, User, createUser } from '../src/index.js';
import { forEachDatabase } from './support/databases.js';

const Note = model('notes.Note', {
  owner: f.foreignKey(() => User, { onDelete: 'CASCADE', relatedName: 'notes' }),
  reviewer: f.foreignKey(() => User, { onDelete: 'SET_NULL', null: true, relatedName: 'reviewedNotes' }),
  title: f.string({ maxLength: 80 }),
});

describe('f.foreignKey(() => User) types', () => {
  it('types the key and the related user', () => {
    expectTypeOf<PkValue<typeof User>>().toEqualTypeOf<number>();
    expectTypeOf<Instance<typeof Note>['ownerId']>().toEqualTypeOf<number>();
    expectTypeOf<Instance<typeof Note>['reviewerId']>().toEqualTypeOf<number | null>();
    expect(Note.fields.owner.target).toBe(User);
  });
});

forEachDatabase(
  'a foreign key to User by reference',
  () => {
    it('saves, follows and filters through the key', async () => {
      const ada = await createUser({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery staple' });
      const note = await Note.objects.create({ owner: ada, title: 'Engines' });
      const loaded = await Note.objects.selectRelated('owner').get({ id: note.id });
      expect(loaded.ownerId).toBe(ada.id);
      expect(loaded.reviewerId).toBeNull();
      expect((await loaded.owner).username).toBe('ada');
      expect(await Note.objects.filter({ owner: { username: 'ada' } }).count()).toBe(1);
      expect(await Note.objects.filter({ owner: { username: 'grace' } }).count()).toBe(0);
      expect(() => Note.objects.filter({ owner: { usrname: 'ada' } } as never).toSql()).toThrow(/usrname/);
    });
  },
  { models: () => [Permission, Group, User, Note] },
);
