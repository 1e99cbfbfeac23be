import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuthUser, SentryDb } from '../db/sentry-db.js';

/**
 * A list of Sentry users given on the command line: a CSV file whose header names at least one of
 * `user_id`, `username`, `email`, or `--user` values. Reading collects every problem instead of
 * stopping at the first, so the caller can report them all together and write nothing.
 */
export const USER_COLUMNS = ['user_id', 'username', 'email'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];

export interface UserRef {
  /** Where the reference came from, for messages: `users.csv line 4`, `--user alice`. */
  source: string;
  user_id?: string;
  username?: string;
  email?: string;
  /**
   * strict (CSV): every filled column must name the same one user.
   * loose (--user): the value may be an id, a username or an email; it must match exactly one user.
   */
  mode: 'strict' | 'loose';
}

export interface ResolvedUser {
  id: string;
  username: string;
  email: string;
  isActive: boolean;
  isSuperuser: boolean;
  sources: string[];
}

const MAX_USER_ID = 2147483647n; // auth_user.id is a 32-bit serial in every Sentry 7 install

/** Read `--users FILE.csv`. Problems (unreadable file, bad CSV, no usable column, empty rows) are returned, not thrown. */
export function readUserCsv(path: string): { refs: UserRef[]; problems: string[] } {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { refs: [], problems: [`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`] };
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    return { refs: [], problems: [`${name} is not valid CSV: ${(err as Error).message}`] };
  }
  if (records.length === 0) return { refs: [], problems: [`${name} is empty; expected a header row naming user_id, username or email`] };

  const header = records[0].record.map((h) => h.toLowerCase());
  const problems: string[] = [];
  const index: Partial<Record<UserColumn, number>> = {};
  for (const col of USER_COLUMNS) {
    const at = header.flatMap((h, i) => (h === col ? [i] : []));
    if (at.length > 1) problems.push(`${name} has the column "${col}" ${at.length} times`);
    if (at.length >= 1) index[col] = at[0];
  }
  const usable = USER_COLUMNS.filter((c) => index[c] !== undefined);
  if (usable.length === 0) {
    problems.push(`${name} has no user_id, username or email column (header: ${records[0].record.join(', ') || 'empty'})`);
    return { refs: [], problems };
  }

  const refs: UserRef[] = [];
  for (const { record, info } of records.slice(1)) {
    const ref: UserRef = { source: `${name} line ${info.lines}`, mode: 'strict' };
    for (const col of usable) {
      const v = record[index[col]!] ?? '';
      if (v !== '') ref[col] = v;
    }
    if (!usable.some((c) => ref[c] !== undefined)) {
      problems.push(`${ref.source} names no user (${usable.join(', ')} empty)`);
      continue;
    }
    if (ref.user_id !== undefined && !validUserId(ref.user_id)) {
      problems.push(`${ref.source}: user_id "${ref.user_id}" is not a user id (a positive whole number)`);
      continue;
    }
    refs.push(ref);
  }
  if (refs.length === 0 && problems.length === 0) problems.push(`${name} lists no users (only a header row)`);
  return { refs, problems };
}

/** `--user VALUE`, repeated: a user id, a username or an email address. */
export function userArgs(values: string[]): UserRef[] {
  return values.map((raw) => {
    const v = raw.trim();
    const ref: UserRef = { source: `--user ${v}`, mode: 'loose', username: v };
    if (validUserId(v)) ref.user_id = v;
    if (v.includes('@')) ref.email = v;
    return ref;
  });
}

function validUserId(v: string): boolean {
  return /^\d{1,10}$/.test(v) && BigInt(v) >= 1n && BigInt(v) <= MAX_USER_ID;
}

type UserRow = Pick<Selectable<AuthUser>, 'id' | 'username' | 'email' | 'is_active' | 'is_superuser'>;

const CHUNK = 5000;

/**
 * Match every reference against `auth_user`. Usernames match exactly (whatever the collation);
 * emails case-insensitively (Sentry 7 lets several users share one). Unknown, ambiguous,
 * self-contradicting and duplicate references all become problems.
 */
export async function resolveUsers(db: Kysely<SentryDb>, refs: UserRef[]): Promise<{ users: ResolvedUser[]; problems: string[] }> {
  const ids = new Set<string>();
  const lowered = new Set<string>();
  for (const r of refs) {
    if (r.user_id !== undefined) ids.add(String(BigInt(r.user_id)));
    if (r.username !== undefined) lowered.add(r.username.toLowerCase());
    if (r.email !== undefined) lowered.add(r.email.toLowerCase());
  }
  const rows = new Map<string, UserRow>();
  const select = () => db.selectFrom('auth_user').select(['id', 'username', 'email', 'is_active', 'is_superuser']);
  for (const part of chunks([...ids], CHUNK)) {
    // auth_user.id is a 32-bit serial; the ids were checked to be one (validUserId), so as numbers they are exact
    for (const u of await select().where('id', 'in', part.map(Number)).execute()) rows.set(String(u.id), u);
  }
  for (const part of chunks([...lowered], CHUNK)) {
    const found = await select()
      .where((eb) => eb.or([eb(sql`lower(username)`, 'in', part), eb(sql`lower(email)`, 'in', part)]))
      .execute();
    for (const u of found) rows.set(String(u.id), u);
  }
  const byId = new Map<string, UserRow>();
  const byUsername = new Map<string, UserRow>();
  const byUsernameLower = new Map<string, UserRow[]>();
  const byEmail = new Map<string, UserRow[]>();
  for (const u of rows.values()) {
    byId.set(String(u.id), u);
    byUsername.set(u.username, u);
    push(byUsernameLower, u.username.toLowerCase(), u);
    if (u.email) push(byEmail, u.email.toLowerCase(), u);
  }

  const problems: string[] = [];
  const matched = new Map<string, { row: UserRow; sources: string[] }>();
  for (const ref of refs) {
    const sets: [string, UserRow[]][] = [];
    if (ref.user_id !== undefined) sets.push([`user_id ${ref.user_id}`, opt(byId.get(String(BigInt(ref.user_id))))]);
    if (ref.username !== undefined) sets.push([`username "${ref.username}"`, opt(byUsername.get(ref.username))]);
    if (ref.email !== undefined) sets.push([`email "${ref.email}"`, byEmail.get(ref.email.toLowerCase()) ?? []]);
    const found = ref.mode === 'loose' ? union(sets.map((s) => s[1])) : intersection(sets.map((s) => s[1]));
    if (found.length === 1) {
      const m = matched.get(String(found[0].id)) ?? { row: found[0], sources: [] };
      m.sources.push(ref.source);
      matched.set(String(found[0].id), m);
    } else if (found.length > 1) {
      const how = ref.mode === 'loose' ? 'list it in a --users CSV under user_id, username or email' : 'give the user_id instead';
      problems.push(`${ref.source} matches ${found.length} users (${found.map(label).join(', ')}); ${how}`);
    } else if (ref.mode === 'strict' && sets.length > 1 && sets.every((s) => s[1].length > 0)) {
      problems.push(`${ref.source}: ${sets.map(([what, us]) => `${what} is ${us.map(label).join(' or ')}`).join(', but ')}`);
    } else {
      const missing = ref.mode === 'strict'
        ? `no user with ${sets.filter((s) => s[1].length === 0).map((s) => s[0]).join(' or ')}`
        : `no user has this ${[ref.user_id && 'id', 'username', ref.email && 'email'].filter(Boolean).join(' or ')}`;
      const near = ref.username !== undefined && !byUsername.has(ref.username) ? byUsernameLower.get(ref.username.toLowerCase()) : undefined;
      problems.push(`${ref.source}: ${missing}${near?.length ? ` (did you mean username "${near[0].username}"?)` : ''}`);
    }
  }
  const users: ResolvedUser[] = [];
  for (const { row, sources } of matched.values()) {
    if (sources.length > 1) problems.push(`user ${label(row)} is listed more than once: ${sources.join(', ')}`);
    users.push({
      id: String(row.id), username: row.username, email: row.email,
      isActive: Boolean(row.is_active), isSuperuser: Boolean(row.is_superuser), sources,
    });
  }
  users.sort((a, b) => Number(a.id) - Number(b.id));
  return { users, problems };
}

function label(u: UserRow): string {
  return `${u.username} (id ${u.id})`;
}

function opt<T>(v: T | undefined): T[] {
  return v === undefined ? [] : [v];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function union(sets: UserRow[][]): UserRow[] {
  const m = new Map<string, UserRow>();
  for (const s of sets) for (const u of s) m.set(String(u.id), u);
  return [...m.values()];
}

function intersection(sets: UserRow[][]): UserRow[] {
  if (sets.length === 0) return [];
  return sets[0].filter((u) => sets.every((s) => s.some((x) => String(x.id) === String(u.id))));
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
