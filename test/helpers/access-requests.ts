/**
 * Fixture rows for the approve-requests tests and bench: organizations, users, members, teams,
 * member-team links and pending access requests, inserted on a fresh Sentry 7.7 schema.
 */
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { type Connection, connect } from '../../src/db/connect.js';
import { schemaStatements } from '../../src/db/schema-files.js';
import type { Engine } from '../../src/db/url.js';
import { type TempDatabase, tempDatabase } from './servers.js';

export interface SentryDb extends TempDatabase {
  conn: Connection;
  engine: Engine;
  close(): Promise<void>;
}

/** A temp database with the Sentry 7.7 schema applied; close() also drops it. */
export async function sentryDatabase(engine: Engine, prefix = 'sa_appr'): Promise<SentryDb> {
  const tmp = await tempDatabase(engine, prefix);
  const conn = await connect(tmp.url);
  for (const stmt of schemaStatements(engine, { bigInts: false })) await sql.raw(stmt).execute(conn.db);
  return {
    ...tmp, conn, engine,
    close: async () => {
      await conn.close();
      await tmp.drop();
    },
  };
}

const now = () => new Date();
let seq = 0;

async function insert(conn: Connection, table: string, row: Record<string, unknown>): Promise<string> {
  const [id] = await conn.adapter.insertReturningIds(conn.db, table, [row]);
  return id;
}

export async function addUser(conn: Connection, name: string): Promise<string> {
  return insert(conn, 'auth_user', {
    password: '!', last_login: now(), username: `${name}-${++seq}`, first_name: '', last_name: '',
    email: `${name}@example.com`, is_staff: false, is_active: true, is_superuser: false, date_joined: now(), is_managed: false,
  });
}

export async function addOrg(conn: Connection, slug: string, ownerId: string, status = 0): Promise<string> {
  return insert(conn, 'sentry_organization', { name: slug, status, date_added: now(), slug, flags: 0, owner_id: ownerId });
}

export async function addTeam(conn: Connection, orgId: string, slug: string, status = 0): Promise<string> {
  return insert(conn, 'sentry_team', { slug, name: slug, date_added: now(), status, organization_id: orgId });
}

export async function addMember(
  conn: Connection, orgId: string, userId: string | null, opts: { global?: boolean; email?: string | null } = {},
): Promise<string> {
  return insert(conn, 'sentry_organizationmember', {
    organization_id: orgId, user_id: userId, type: 50, date_added: now(), email: opts.email ?? null,
    has_global_access: opts.global ?? false, flags: 0, counter: null,
  });
}

export async function addLink(conn: Connection, memberId: string, teamId: string, isActive: boolean): Promise<string> {
  return insert(conn, 'sentry_organizationmember_teams', { organizationmember_id: memberId, team_id: teamId, is_active: isActive });
}

export async function addRequest(conn: Connection, memberId: string, teamId: string): Promise<string> {
  return insert(conn, 'sentry_organizationaccessrequest', { team_id: teamId, member_id: memberId });
}

/**
 * `n` pending requests in one organization: `teams` teams, n/teams members each asking to join
 * every team, none with global access. Bulk inserts, for the bench and the e2e tests.
 */
export async function manyRequests(conn: Connection, n: number, teams = 10): Promise<{ orgId: string; teamIds: string[] }> {
  const owner = await addUser(conn, 'owner');
  const orgId = await addOrg(conn, `big-${++seq}`, owner);
  const teamIds: string[] = [];
  for (let i = 0; i < teams; i++) teamIds.push(await addTeam(conn, orgId, `team-${i}`));
  const members = Math.ceil(n / teams);
  const users = await conn.adapter.insertReturningIds(conn.db, 'auth_user', Array.from({ length: members }, (_, i) => ({
    password: '!', last_login: now(), username: `bulk-${seq}-${i}`, first_name: '', last_name: '',
    email: `bulk${i}@example.com`, is_staff: false, is_active: true, is_superuser: false, date_joined: now(), is_managed: false,
  })));
  const memberIds = await conn.adapter.insertReturningIds(conn.db, 'sentry_organizationmember', users.map((u) => ({
    organization_id: orgId, user_id: u, type: 50, date_added: now(), email: null, has_global_access: false, flags: 0, counter: null,
  })));
  const reqs: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) reqs.push({ member_id: memberIds[Math.floor(i / teams)], team_id: teamIds[i % teams] });
  for (let i = 0; i < reqs.length; i += 1000) await conn.db.insertInto('sentry_organizationaccessrequest').values(reqs.slice(i, i + 1000)).execute();
  return { orgId, teamIds };
}

const PY_DECODE = `
import base64, json, pickle, sys, zlib
out = []
for text in json.load(sys.stdin):
    out.append(pickle.loads(zlib.decompress(base64.b64decode(text))))
print(json.dumps(out))
`;

/** Decode sentry_auditlogentry.data the way Sentry's GzippedDictField does, with Python's own pickle. */
export function decodeWithPython(texts: string[]): Record<string, unknown>[] {
  return JSON.parse(execFileSync('python3', ['-c', PY_DECODE], { input: JSON.stringify(texts), encoding: 'utf8' }));
}

/** Row counts that must never grow twice for one request. */
export async function counts(conn: Connection): Promise<{ links: number; audit: number; requests: number; dupAudit: number }> {
  const one = async (q: any) => Number((await q.executeTakeFirstOrThrow()).n);
  const { db } = conn;
  return {
    links: await one(db.selectFrom('sentry_organizationmember_teams').select((eb) => eb.fn.countAll().as('n'))),
    audit: await one(db.selectFrom('sentry_auditlogentry').select((eb) => eb.fn.countAll().as('n'))),
    requests: await one(db.selectFrom('sentry_organizationaccessrequest').select((eb) => eb.fn.countAll().as('n'))),
    dupAudit: await one(db.selectFrom(
      db.selectFrom('sentry_auditlogentry').select('target_object').groupBy('target_object').having((eb) => eb.fn.countAll(), '>', 1).as('d'),
    ).select((eb) => eb.fn.countAll().as('n'))),
  };
}
