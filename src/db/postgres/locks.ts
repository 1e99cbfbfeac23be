import { type Kysely, sql } from 'kysely';

/** pg_try_advisory_lock on the name's hashtext(): true when this session now holds it. */
export async function takeLock(db: Kysely<any>, name: string): Promise<boolean> {
  return (await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(hashtext(${name})) AS ok`.execute(db)).rows[0].ok;
}

export async function freeLock(db: Kysely<any>, name: string): Promise<void> {
  await sql`SELECT pg_advisory_unlock(hashtext(${name}))`.execute(db);
}

