import { beforeEach, describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model, type AnyModel } from '../src/model/model.js';
import { IntegrityError, OrmUsageError } from '../src/errors.js';
import { captureQueries, assertNumQueries } from '../src/db/query-counter.js';
import { deleteInstances, deletionOrder } from '../src/relations/deletion.js';
import { signals } from '../src/signals.js';
import { forEachDatabase } from './support/databases.js';

const Artist = model('del.Artist', { name: f.string({ maxLength: 50 }) });
const Album = model('del.Album', {
  title: f.string({ maxLength: 50 }),
  artist: f.foreignKey(() => Artist, { onDelete: 'CASCADE', relatedName: 'albums' }),
});
const Tag = model('del.Tag', { name: f.string({ maxLength: 50 }) });
const Song = model('del.Song', {
  title: f.string({ maxLength: 50 }),
  artist: f.foreignKey(() => Artist, { onDelete: 'CASCADE', relatedName: 'songs' }),
  album: f.foreignKey(() => Album, { onDelete: 'RESTRICT', relatedName: 'songs' }),
  tags: f.manyToMany(() => Tag, { relatedName: 'songs' }),
});
const Note = model('del.Note', {
  text: f.string({ maxLength: 50 }),
  song: f.foreignKey(() => Song, { onDelete: 'CASCADE', relatedName: 'notes' }),
});
const Label = model('del.Label', { name: f.string({ maxLength: 50 }) });
const Contract = model('del.Contract', {
  label: f.foreignKey(() => Label, { onDelete: 'PROTECT', relatedName: 'contracts' }),
  artist: f.foreignKey(() => Artist, { onDelete: 'CASCADE', relatedName: 'contracts' }),
});
const Review = model('del.Review', {
  body: f.string({ maxLength: 50 }),
  album: f.foreignKey(() => Album, { onDelete: 'SET_NULL', null: true, relatedName: 'reviews' }),
});
let fallbackArtist = 0;
const Fan = model('del.Fan', {
  name: f.string({ maxLength: 50 }),
  favorite: f.foreignKey(() => Artist, { onDelete: 'SET_DEFAULT', default: () => fallbackArtist, relatedName: 'fans' }),
});
const Poster = model('del.Poster', { artist: f.foreignKey(() => Artist, { onDelete: 'DO_NOTHING', relatedName: 'posters' }) });
const Sticker = model('del.Sticker', { artist: f.foreignKey(() => Artist, { onDelete: 'DO_NOTHING', dbConstraint: false, relatedName: 'stickers' }) });
const Category = model('del.Category', {
  name: f.string({ maxLength: 50 }),
  parent: f.foreignKey('self', { onDelete: 'CASCADE', null: true, relatedName: 'children' }),
});
const Venue = model('del.Venue', { name: f.string({ maxLength: 50 }) });
const Gig = model('del.Gig', {
  venue: f.foreignKey(() => Venue, { onDelete: 'SET_DEFAULT', relatedName: 'gigs' }),
});

const models = [Artist, Album, Tag, Song, Note, Label, Contract, Review, Fan, Poster, Sticker, Category, Venue, Gig];

type Row = Record<string, any>;

async function create(m: AnyModel, data: Record<string, unknown>): Promise<Row> {
  return (await (m.objects as unknown as { create(d: unknown): Promise<Row> }).create(data)) as Row;
}
async function count(m: AnyModel): Promise<number> {
  return (m.objects as unknown as { count(): Promise<number> }).count();
}

describe('deletion order', () => {
  it('deletes children before parents, whatever the collection order', () => {
    expect(deletionOrder([Artist, Album, Song, Note]).map((m) => m.name)).toEqual(['del.Note', 'del.Song', 'del.Album', 'del.Artist']);
    expect(deletionOrder([Note, Artist, Song]).map((m) => m.name)).toEqual(['del.Note', 'del.Song', 'del.Artist']);
    expect(deletionOrder([Category]).map((m) => m.name)).toEqual(['del.Category']);
  });
});

forEachDatabase('deletion', (db) => {
  beforeEach(() => db.flush());

  /** An artist with an album of `songs` songs, each with two notes and two tags. */
  async function band(name: string, songs: number) {
    const artist = await create(Artist, { name });
    const album = await create(Album, { title: `${name} LP`, artist });
    const tags = [await create(Tag, { name: `${name}-t1` }), await create(Tag, { name: `${name}-t2` })];
    const songRows: Row[] = [];
    for (let i = 0; i < songs; i++) {
      const song = await create(Song, { title: `${name} ${i}`, artist, album });
      await create(Note, { text: 'n1', song });
      await create(Note, { text: 'n2', song });
      await song['tags'].add(...tags);
      songRows.push(song);
    }
    return { artist, album, tags, songs: songRows };
  }

  it('cascades across three levels, removes join rows, and counts per model', async () => {
    const { artist } = await band('ann', 3);
    const other = await band('bob', 1);
    const result = await deleteInstances(Artist, [artist['id']], 'default');
    expect(result.perModel).toEqual({ 'del.Artist': 1, 'del.Album': 1, 'del.Song': 3, 'del.Note': 6, 'del.Song_tags': 6 });
    expect(result.total).toBe(17);
    expect(await count(Artist)).toBe(1);
    expect(await count(Song)).toBe(1);
    expect(await count(Note)).toBe(2);
    expect(await count(Tag)).toBe(4);
    expect(((await other.songs[0]!['tags'].all()) as Row[]).length).toBe(2);
  });

  it('runs the same number of queries for 1 or 20 children (batched, never per row)', async () => {
    const small = await band('small', 1);
    const big = await band('big', 20);
    const { queries: few } = await captureQueries(() => deleteInstances(Artist, [small.artist['id']], 'default'));
    const { queries: many } = await captureQueries(() => deleteInstances(Artist, [big.artist['id']], 'default'));
    expect(many.length).toBe(few.length);
    expect(few.length).toBeLessThan(20);
  });

  it('RESTRICT refuses when the restricted rows are not deleted by the same cascade', async () => {
    const { album, songs } = await band('ann', 2);
    const error = await deleteInstances(Album, [album['id']], 'default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).kind).toBe('protect');
    expect((error as IntegrityError).code).toBe('E_INTEGRITY_PROTECT');
    expect((error as IntegrityError).fields).toEqual(['album']);
    const message = (error as Error).message;
    expect(message).toContain('Cannot delete some del.Album rows');
    expect(message).toContain("restricted foreign key del.Song.album (onDelete 'RESTRICT')");
    for (const song of songs) expect(message).toContain(`del.Song(id=${song['id']})`);
    expect(await count(Album)).toBe(1);
    expect(await count(Song)).toBe(2);
  });

  it('RESTRICT allows the deletion when a cascade deletes the restricted rows too (Django nuance)', async () => {
    const { artist } = await band('ann', 2);
    const result = await deleteInstances(Artist, [artist['id']], 'default');
    expect(result.perModel['del.Album']).toBe(1);
    expect(result.perModel['del.Song']).toBe(2);
  });

  it('RESTRICT still refuses a row the cascade does not reach', async () => {
    const ann = await band('ann', 1);
    const bob = await create(Artist, { name: 'bob' });
    // Bob's song is on Ann's album: deleting Ann would delete the album under it.
    await create(Song, { title: 'guest', artist: bob, album: ann.album });
    await expect(deleteInstances(Artist, [ann.artist['id']], 'default')).rejects.toThrow(/restricted foreign key del.Song.album/);
    expect(await count(Artist)).toBe(2);
    expect(await count(Note)).toBe(2);
  });

  it('PROTECT refuses and names the protecting rows; nothing is deleted', async () => {
    const label = await create(Label, { name: 'indie' });
    const { artist } = await band('ann', 1);
    const contract = await create(Contract, { label, artist });
    const error = await deleteInstances(Label, [label['id']], 'default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).kind).toBe('protect');
    expect((error as Error).message).toBe(
      `Cannot delete some del.Label rows because they are referenced through the protected foreign key del.Contract.label (onDelete 'PROTECT'): del.Contract(id=${contract['id']}). Delete or reassign those rows first.`,
    );
    expect(await count(Label)).toBe(1);
    // Deleting the artist cascades to the contract: the PROTECT key points away from what is deleted.
    const result = await deleteInstances(Artist, [artist['id']], 'default');
    expect(result.perModel['del.Contract']).toBe(1);
    expect(await count(Label)).toBe(1);
  });

  it('SET_NULL keeps the children with a null key', async () => {
    const artist = await create(Artist, { name: 'ann' });
    const album = await create(Album, { title: 'lp', artist });
    await create(Review, { body: 'good', album });
    await create(Review, { body: 'bad', album });
    const result = await deleteInstances(Album, [album['id']], 'default');
    expect(result).toEqual({ total: 1, perModel: { 'del.Album': 1 } });
    const reviews = (await Review.objects.all()) as Row[];
    expect(reviews.map((r) => r['albumId'])).toEqual([null, null]);
  });

  it('SET_DEFAULT points the children at the default', async () => {
    const fallback = await create(Artist, { name: 'various' });
    fallbackArtist = fallback['id'];
    const artist = await create(Artist, { name: 'ann' });
    await create(Fan, { name: 'f1', favorite: artist });
    await deleteInstances(Artist, [artist['id']], 'default');
    const fans = (await Fan.objects.all()) as Row[];
    expect(fans.map((fan) => fan['favoriteId'])).toEqual([fallback['id']]);
  });

  it('SET_DEFAULT without a default is a usage error naming the field', async () => {
    const venue = await create(Venue, { name: 'hall' });
    await expect(deleteInstances(Venue, [venue['id']], 'default')).rejects.toThrow(OrmUsageError);
    await expect(deleteInstances(Venue, [venue['id']], 'default')).rejects.toThrow(/del.Gig.venue has onDelete 'SET_DEFAULT' but no default/);
  });

  it('DO_NOTHING leaves the children; the database foreign key then refuses (translated)', async () => {
    const artist = await create(Artist, { name: 'ann' });
    await create(Poster, { artist });
    const error = await deleteInstances(Artist, [artist['id']], 'default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).kind).toBe('foreignKey');
    expect(await count(Artist)).toBe(1);
  });

  it('DO_NOTHING without a database constraint leaves a dangling key', async () => {
    const artist = await create(Artist, { name: 'ann' });
    await create(Sticker, { artist });
    expect(await deleteInstances(Artist, [artist['id']], 'default')).toEqual({ total: 1, perModel: { 'del.Artist': 1 } });
    const stickers = (await Sticker.objects.all()) as Row[];
    expect(stickers[0]!['artistId']).toBe(artist['id']);
  });

  it('cascades through a self-referential tree', async () => {
    const root = await create(Category, { name: 'root', parent: null });
    const child = await create(Category, { name: 'child', parent: root });
    await create(Category, { name: 'grandchild', parent: child });
    await create(Category, { name: 'other', parent: null });
    expect(await deleteInstances(Category, [root['id']], 'default')).toEqual({ total: 3, perModel: { 'del.Category': 3 } });
    expect(await count(Category)).toBe(1);
  });

  it('sends preDelete/postDelete for rows deleted by a cascade, before and after the deletes', async () => {
    const { artist } = await band('ann', 2);
    const seen: string[] = [];
    const offPre = signals.preDelete.connect(Song, async (song) => {
      seen.push(`pre ${song.title} (${await count(Song)} songs)`);
    });
    const offPost = signals.postDelete.connect(Song, async (song) => {
      seen.push(`post ${song.title} (${await count(Song)} songs)`);
    });
    try {
      await deleteInstances(Artist, [artist['id']], 'default');
    } finally {
      offPre();
      offPost();
    }
    expect(seen).toEqual(['pre ann 0 (2 songs)', 'pre ann 1 (2 songs)', 'post ann 0 (0 songs)', 'post ann 1 (0 songs)']);
  });

  it('signals the root rows only when their instances are passed (the caller signals them otherwise)', async () => {
    const root = await create(Category, { name: 'root', parent: null });
    await create(Category, { name: 'child', parent: root });
    const seen: string[] = [];
    const off = signals.preDelete.connect(Category, (category) => {
      seen.push(category.name);
    });
    try {
      await deleteInstances(Category, [root['id']], 'default');
      expect(seen).toEqual(['child']);
      seen.length = 0;
      const again = await create(Category, { name: 'again', parent: null });
      await create(Category, { name: 'leaf', parent: again });
      await deleteInstances(Category, [again['id']], 'default', { rootInstances: [again] });
      expect(seen).toEqual(['again', 'leaf']);
    } finally {
      off();
    }
  });

  it('deletes several roots at once and reports only what existed', async () => {
    const a = await create(Artist, { name: 'a' });
    const b = await create(Artist, { name: 'b' });
    expect(await deleteInstances(Artist, [a['id'], b['id'], a['id'], 987654], 'default')).toEqual({ total: 2, perModel: { 'del.Artist': 2 } });
    expect(await deleteInstances(Artist, [987654], 'default')).toEqual({ total: 0, perModel: {} });
    await assertNumQueries(0, () => deleteInstances(Artist, [], 'default'));
  });
}, { models });
