import { type Kysely, sql } from 'kysely';

/** GET_LOCK without waiting: true when this session now holds `name` (server-wide; at most 64 characters). */
export async function takeLock(db: Kysely<any>, name: string): Promise<boolean> {
  return Number((await sql<{ ok: number | null }>`SELECT GET_LOCK(${name}, 0) AS ok`.execute(db)).rows[0].ok) === 1;
}

export async function freeLock(db: Kysely<any>, name: string): Promise<void> {
  await sql`SELECT RELEASE_LOCK(${name})`.execute(db);
}

