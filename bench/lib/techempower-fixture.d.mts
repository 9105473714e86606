export const WORLD_ROWS: number;
export const FORTUNES: ReadonlyArray<{ id: number; message: string }>;
export const ADDED_FORTUNE: string;

export type FixtureTarget =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; host: string; port: number; user: string; password?: string; database: string; schema: string };

/** Where a TechEmpower server finds its data, from TE_DATABASE / TE_PG_SCHEMA. */
export function parseDatabase(env?: Record<string, string | undefined>): FixtureTarget;
/** Create (or re-create) the world and fortune tables with their rows. */
export function createFixture(target: FixtureTarget): Promise<void>;
/** Drop what createFixture made (the PostgreSQL schema). */
export function dropFixture(target: FixtureTarget): Promise<void>;
/** The TE_* environment of a run on `engine`: a temp SQLite file or a PostgreSQL schema named after this process. */
export function fixtureEnvironment(engine: 'sqlite' | 'postgres'): Record<string, string>;
/** Drop what createFixture made, the SQLite file and its WAL files included. */
export function removeFixtureFiles(target: FixtureTarget): Promise<void>;
/** Read world rows by id, in the order given (undefined for a missing id). */
export function readWorlds(target: FixtureTarget, ids: readonly number[]): Promise<Array<{ id: number; randomNumber: number } | undefined>>;
