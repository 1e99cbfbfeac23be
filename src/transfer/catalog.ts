/**
 * The tables a migration carries, parents first, and how each one is scoped.
 *
 * Order matters: an importer loads a table only when every table it references is complete, so
 * foreign keys hold at every commit even on MySQL, whose constraints are checked immediately.
 * References are listed here rather than introspected because real MySQL installs of Sentry 7
 * often lack their constraints (docs/sentry7-schema.md §1.2).
 */
export interface TableSpec {
  table: string;
  /** Tables this one references (must be loaded first). */
  parents: string[];
  /** Groups, events, tags and the rest skipped by --no-events. */
  eventData: boolean;
  /** How rows are chosen under --org/--project (see scope.ts). */
  scope: ScopeRule;
  /** Column compared with --since, for event data. */
  since?: string;
  /** Columns that reference auth_user (the users a scoped export must carry). */
  userRefs?: string[];
  /** Copied only by an unscoped migration (global tables). */
  fullOnly?: boolean;
}

export type ScopeRule =
  | { by: 'org-id' }
  | { by: 'org'; column: string }
  | { by: 'project'; column: string }
  | { by: 'team'; column: string }
  | { by: 'project-id' }
  | { by: 'team-id' }
  | { by: 'member'; column: string }
  | { by: 'provider'; column: string }
  | { by: 'group'; column: string }
  | { by: 'users' }
  | { by: 'nodes' }
  | { by: 'all' };

const ev = true;
export const CATALOG: TableSpec[] = [
  { table: 'auth_user', parents: [], eventData: false, scope: { by: 'users' } },
  { table: 'sentry_organization', parents: ['auth_user'], eventData: false, scope: { by: 'org-id' }, userRefs: ['owner_id'] },
  { table: 'sentry_team', parents: ['sentry_organization'], eventData: false, scope: { by: 'team-id' } },
  { table: 'sentry_organizationmember', parents: ['sentry_organization', 'auth_user'], eventData: false, scope: { by: 'org', column: 'organization_id' }, userRefs: ['user_id'] },
  { table: 'sentry_organizationmember_teams', parents: ['sentry_organizationmember', 'sentry_team'], eventData: false, scope: { by: 'team', column: 'team_id' } },
  { table: 'sentry_organizationaccessrequest', parents: ['sentry_organizationmember', 'sentry_team'], eventData: false, scope: { by: 'team', column: 'team_id' } },
  { table: 'sentry_project', parents: ['sentry_team', 'sentry_organization'], eventData: false, scope: { by: 'project-id' } },
  { table: 'sentry_projectkey', parents: ['sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_projectoptions', parents: ['sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_authprovider', parents: ['sentry_organization'], eventData: false, scope: { by: 'org', column: 'organization_id' } },
  { table: 'sentry_authprovider_default_teams', parents: ['sentry_authprovider', 'sentry_team'], eventData: false, scope: { by: 'team', column: 'team_id' } },
  { table: 'sentry_authidentity', parents: ['sentry_authprovider', 'auth_user'], eventData: false, scope: { by: 'provider', column: 'auth_provider_id' }, userRefs: ['user_id'] },
  { table: 'sentry_apikey', parents: ['sentry_organization'], eventData: false, scope: { by: 'org', column: 'organization_id' } },
  { table: 'sentry_auditlogentry', parents: ['sentry_organization', 'auth_user', 'sentry_apikey'], eventData: false, scope: { by: 'org', column: 'organization_id' }, userRefs: ['actor_id', 'target_user_id'] },
  { table: 'sentry_useroption', parents: ['auth_user', 'sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' }, userRefs: ['user_id'] },
  { table: 'sentry_rule', parents: ['sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_release', parents: ['sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_savedsearch', parents: ['sentry_project'], eventData: false, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_groupedmessage', parents: ['sentry_project', 'sentry_release'], eventData: ev, scope: { by: 'project', column: 'project_id' }, since: 'last_seen' },
  { table: 'sentry_grouphash', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' } },
  { table: 'sentry_groupmeta', parents: ['sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' } },
  { table: 'sentry_groupbookmark', parents: ['sentry_project', 'sentry_groupedmessage', 'auth_user'], eventData: ev, scope: { by: 'group', column: 'group_id' }, userRefs: ['user_id'] },
  { table: 'sentry_groupseen', parents: ['sentry_project', 'sentry_groupedmessage', 'auth_user'], eventData: ev, scope: { by: 'group', column: 'group_id' }, userRefs: ['user_id'] },
  { table: 'sentry_groupasignee', parents: ['sentry_project', 'sentry_groupedmessage', 'auth_user'], eventData: ev, scope: { by: 'group', column: 'group_id' }, userRefs: ['user_id'] },
  { table: 'sentry_grouprulestatus', parents: ['sentry_project', 'sentry_rule', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' } },
  { table: 'sentry_userreport', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'project', column: 'project_id' }, since: 'date_added' },
  { table: 'sentry_filterkey', parents: ['sentry_project'], eventData: ev, scope: { by: 'project', column: 'project_id' } },
  { table: 'sentry_filtervalue', parents: ['sentry_project'], eventData: ev, scope: { by: 'project', column: 'project_id' }, since: 'last_seen' },
  { table: 'sentry_grouptagkey', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' } },
  { table: 'sentry_messagefiltervalue', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' }, since: 'last_seen' },
  { table: 'sentry_message', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' }, since: 'datetime' },
  { table: 'nodestore_node', parents: [], eventData: ev, scope: { by: 'nodes' }, since: 'timestamp' },
  { table: 'sentry_eventmapping', parents: ['sentry_project', 'sentry_groupedmessage'], eventData: ev, scope: { by: 'group', column: 'group_id' }, since: 'date_added' },
  { table: 'sentry_activity', parents: ['sentry_project', 'sentry_groupedmessage', 'sentry_message', 'auth_user'], eventData: ev, scope: { by: 'group', column: 'group_id' }, since: 'datetime', userRefs: ['user_id'] },
  // Global tables: carried by an unscoped migration only.
  { table: 'sentry_option', parents: [], eventData: false, scope: { by: 'all' }, fullOnly: true },
  { table: 'sentry_broadcast', parents: [], eventData: false, scope: { by: 'all' }, fullOnly: true },
  { table: 'sentry_lostpasswordhash', parents: ['auth_user'], eventData: false, scope: { by: 'all' }, fullOnly: true },
];

/**
 * Tables that are schema, not data: a target made by `sentry upgrade` fills them itself
 * (South history, Django's content types, permissions and site).
 */
export const SCHEMA_TABLES = new Set([
  'south_migrationhistory', 'django_content_type', 'auth_permission', 'django_site', 'django_session',
  'django_admin_log', 'auth_group', 'auth_group_permissions', 'auth_user_groups', 'auth_user_user_permissions',
]);

export function spec(table: string): TableSpec {
  const s = CATALOG.find((t) => t.table === table);
  if (!s) throw new Error(`no catalog entry for ${table}`);
  return s;
}
