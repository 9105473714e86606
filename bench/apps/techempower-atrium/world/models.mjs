import { f, model } from '@atrium/orm';

/** One of the 10,000 rows of the `world` table. */
export const World = model('world.World', { randomNumber: f.integer() }, { table: 'world' });

/** A fortune cookie message. */
export const Fortune = model('world.Fortune', { message: f.string({ maxLength: 2048 }) }, { table: 'fortune' });
