/**
 * The Sentry 7.7 schema files in sql/<engine>/sentry-7.7.sql: every table a fresh 7.7.0 install has
 * after `sentry upgrade` (South migrations up to sentry 0190), as Django 1.6 + South 1.0 create it.
 *
 * The files are templates: `{{PKID}}` marks a BoundedBigAutoField primary key and `{{FKID}}` a
 * FlexibleForeignKey pointing at one; both follow SENTRY_USE_BIG_INTS (docs/sentry7-schema.md §1.1).
 */
import { readFileSync } from 'node:fs';
import type { Engine } from './url.js';

/** Last `sentry` South migration of 7.7.0 (the tag has no 0191+). */
export const schemaVersion = '0190';

/** Every table in the schema files, parents before children (safe to load with immediate FKs). */
export const SENTRY_TABLES_77: string[] = [
  'auth_group', 'django_content_type', 'auth_permission', 'auth_group_permissions',
  'django_session', 'django_site', 'south_migrationhistory', 'djkombu_queue', 'djkombu_message',
  'auth_user', 'django_admin_log', 'sentry_messageindex', 'sentry_option', 'sentry_lostpasswordhash',
  'sentry_broadcast', 'sentry_organization', 'sentry_team', 'sentry_project', 'sentry_filtervalue',
  'sentry_projectoptions', 'sentry_projectkey', 'sentry_useroption', 'sentry_filterkey',
  'sentry_accessgroup', 'sentry_accessgroup_projects', 'sentry_accessgroup_members', 'sentry_rule',
  'sentry_release', 'sentry_groupedmessage', 'sentry_message', 'sentry_messagefiltervalue',
  'sentry_groupmeta', 'sentry_groupbookmark', 'sentry_activity', 'sentry_grouptagkey', 'sentry_alert',
  'sentry_alertrelatedgroup', 'sentry_eventmapping', 'sentry_groupseen', 'sentry_grouprulestatus',
  'sentry_groupasignee', 'sentry_grouphash', 'sentry_organizationmember',
  'sentry_organizationmember_teams', 'sentry_helppage', 'sentry_file', 'sentry_apikey',
  'sentry_auditlogentry', 'sentry_authprovider', 'sentry_authidentity',
  'sentry_authprovider_default_teams', 'sentry_releasefile', 'sentry_organizationaccessrequest',
  'sentry_savedsearch', 'sentry_userreport', 'nodestore_node', 'social_auth_usersocialauth',
  'social_auth_nonce', 'social_auth_association',
];

const ID_TYPES: Record<Engine, Record<'small' | 'big', { PKID: string; FKID: string }>> = {
  postgres: {
    small: { PKID: 'serial', FKID: 'integer' },
    big: { PKID: 'bigserial', FKID: 'bigint' },
  },
  mysql: {
    small: { PKID: 'int(11) AUTO_INCREMENT', FKID: 'int(11)' },
    big: { PKID: 'bigint(20) AUTO_INCREMENT', FKID: 'bigint(20)' },
  },
};

/** Path of an engine's schema file; `../../sql` is the package root from both src/db and dist/db. */
export function schemaFileUrl(engine: Engine): URL {
  return new URL(`../../sql/${engine}/sentry-7.7.sql`, import.meta.url);
}

/** Split a schema file into statements: `--` lines and blank lines dropped, one statement per `;` at line end. */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('--')) continue;
    if (line.endsWith(';')) {
      current.push(line.slice(0, -1));
      statements.push(current.join('\n').trim());
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) throw new Error(`schema file ends inside a statement: ${current.join(' ').slice(0, 80)}`);
  return statements;
}

/** The 7.7 schema as executable statements for one engine and id width (tables, indexes, FKs, South rows). */
export function schemaStatements(engine: Engine, opts: { bigInts: boolean }): string[] {
  const ids = ID_TYPES[engine][opts.bigInts ? 'big' : 'small'];
  const text = readFileSync(schemaFileUrl(engine), 'utf8')
    .replaceAll('{{PKID}}', ids.PKID)
    .replaceAll('{{FKID}}', ids.FKID);
  const left = /\{\{[A-Z]+\}\}/.exec(text);
  if (left) throw new Error(`unknown token ${left[0]} in ${schemaFileUrl(engine).pathname}`);
  return batchStatements(engine, splitStatements(text));
}

const MYSQL_INDEX = /^CREATE (UNIQUE )?INDEX (`[^`]+`) ON (`[^`]+`) (\(.*\))$/s;
const MYSQL_ALTER = /^ALTER TABLE (`[^`]+`) (ADD .*)$/s;
const INSERT_ROW = /^(INSERT INTO \S+ \([^)]*\) VALUES) (\(.*\))$/s;

/**
 * Fewer round trips, same schema: one multi-row INSERT per table instead of one per row, and on
 * MySQL one `ALTER TABLE … ADD INDEX …, ADD CONSTRAINT …` per table instead of one statement per
 * index (each DDL statement there commits and syncs on its own, which made setup take many seconds).
 */
export function batchStatements(engine: Engine, statements: string[]): string[] {
  const out: string[] = [];
  const alters = new Map<string, string[]>();
  let inserts: { head: string; rows: string[] } | null = null;
  const flushInserts = () => {
    if (inserts) out.push(`${inserts.head} ${inserts.rows.join(',\n')}`);
    inserts = null;
  };
  for (const s of statements) {
    const ins = INSERT_ROW.exec(s);
    if (ins) {
      if (inserts && inserts.head !== ins[1]) flushInserts();
      inserts ??= { head: ins[1], rows: [] };
      inserts.rows.push(ins[2]);
      continue;
    }
    flushInserts();
    if (engine === 'mysql') {
      const idx = MYSQL_INDEX.exec(s);
      const alt = idx ? null : MYSQL_ALTER.exec(s);
      if (idx || alt) {
        const table = idx ? idx[3] : alt![1];
        const clause = idx ? `ADD ${idx[1] ? 'UNIQUE ' : ''}INDEX ${idx[2]} ${idx[4]}` : alt![2];
        if (!alters.has(table)) alters.set(table, []);
        alters.get(table)!.push(clause);
        continue;
      }
    }
    out.push(s);
  }
  flushInserts();
  // Indexes before foreign keys within each table's ALTER, as in the file.
  const ddl = [...alters].map(([table, clauses]) => `ALTER TABLE ${table} ${clauses.join(',\n  ')}`);
  const firstInsert = out.findIndex((x) => x.startsWith('INSERT'));
  if (firstInsert < 0) out.push(...ddl);
  else out.splice(firstInsert, 0, ...ddl);
  return out;
}
