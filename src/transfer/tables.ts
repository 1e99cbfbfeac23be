/**
 * Which tables a run carries, and why the others are not carried: Sentry's catalogue (catalog.ts)
 * for the tables we know, introspection for everything else the source holds (plugins' South apps,
 * tables added by hand). Both `migrate` and `verify` start here, each from its own reading of the
 * databases; nothing is left out without a reason that the report prints.
 */
import type { ForeignKeyInfo } from '../db/engine.js';
import type { SchemaInfo } from '../db/introspect.js';
import { UsageError } from '../errors.js';
import { CATALOG, type Ref, SCHEMA_TABLES, type TableSpec, catalogSpec, isTransient } from './catalog.js';
import { type Exclusions, isExcludedTable } from './exclusions.js';
import { type Scope, narrows } from './scope.js';

export type NotCarriedReason = 'transient' | 'excluded' | 'event data' | 'global' | 'untied';

export interface NotCarried {
  table: string;
  reason: NotCarriedReason;
  /** The words the report prints. */
  why: string;
}

export interface RunTables {
  /** Carried tables, parents first. */
  specs: TableSpec[];
  notCarried: NotCarried[];
}

const WHY: Record<NotCarriedReason, string> = {
  transient: "Celery's message queue (kombu), transient: not carried",
  excluded: 'excluded (--exclude-table)',
  'event data': 'event data, not carried with --no-events',
  global: 'global table, carried only by an unscoped run',
  untied: 'no foreign key ties its rows to the organizations or projects in scope',
};

/**
 * The tables of a run over `tables` (the source's, or for verify both sides'): every table except
 * Django's own schema tables, in load order (parents before children by catalogue order and by the
 * foreign keys found on either side). Sets `scope.specs`, which scope filters resolve against.
 * Refuses (exit 2) a foreign-key cycle between tables: no load order exists for it.
 */
export function planTables(
  tables: Iterable<string>, schemas: (SchemaInfo | null | undefined)[], scope: Scope, exclusions: Exclusions, opts: { ordered?: boolean } = {},
): RunTables {
  const names = [...new Set(tables)].filter((t) => !SCHEMA_TABLES.has(t)).sort();
  const fks = foreignKeysByTable(schemas);
  const notCarried: NotCarried[] = [];
  const candidates = new Map<string, TableSpec>();
  for (const name of names) {
    if (isTransient(name)) notCarried.push(not(name, 'transient'));
    else if (isExcludedTable(exclusions, name)) notCarried.push(not(name, 'excluded'));
    else candidates.set(name, withForeignKeys(catalogSpec(name) ?? discoveredSpec(name, fks.get(name) ?? []), fks.get(name) ?? []));
  }
  const ordered = loadOrder(candidates, opts.ordered ?? true);
  deriveEventData(ordered, candidates);
  const scoped = scope.orgIds !== null;
  const specs: TableSpec[] = [];
  scope.specs = new Map();
  for (const t of ordered) {
    if (scope.noEvents && t.eventData) notCarried.push(not(t.table, 'event data'));
    else if (scoped && t.fullOnly) notCarried.push(not(t.table, 'global'));
    else if (scoped && t.discovered && !tiedToScope(t, scope.specs)) notCarried.push(not(t.table, 'untied'));
    else {
      specs.push(t);
      scope.specs.set(t.table, t);
    }
  }
  return { specs, notCarried: notCarried.sort((a, b) => a.table.localeCompare(b.table)) };
}

function not(table: string, reason: NotCarriedReason): NotCarried {
  return { table, reason, why: WHY[reason] };
}

/** Single-column foreign keys of each table, from every schema given (MySQL installs may lack some). */
function foreignKeysByTable(schemas: (SchemaInfo | null | undefined)[]): Map<string, Ref[]> {
  const out = new Map<string, Ref[]>();
  const seen = new Set<string>();
  for (const s of schemas) {
    for (const fk of s?.foreignKeys ?? []) {
      if (fk.columns.length !== 1) continue; // Django makes none wider; a composite one orders nothing here
      const id = `${fk.table}.${fk.columns[0]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      let list = out.get(fk.table);
      if (!list) out.set(fk.table, (list = []));
      list.push(refOf(fk));
    }
  }
  return out;
}

const refOf = (fk: ForeignKeyInfo): Ref => ({ column: fk.columns[0], table: fk.refTable, refColumn: fk.refColumns[0] });

/** A catalogue spec with the foreign keys introspection found added to its parents (never its scope rule). */
function withForeignKeys(t: TableSpec, refs: Ref[]): TableSpec {
  const extra = refs.map((r) => r.table).filter((p) => p !== t.table && !t.parents.includes(p));
  return extra.length ? { ...t, parents: [...t.parents, ...extra] } : t;
}

/**
 * A table Sentry's catalogue does not know. Unscoped, all its rows. Under --org/--project its rows
 * are the ones whose references all point at carried rows (at least one reference must lead into
 * the scope); references to auth_user bring their users along, as Sentry's own tables do; a table
 * whose only tie is auth_user follows the users carried; a table with no tie is not carried.
 */
function discoveredSpec(table: string, refs: Ref[]): TableSpec {
  const own = refs.filter((r) => r.table !== table);
  const userRefs = own.filter((r) => r.table === 'auth_user').map((r) => r.column);
  const others = own.filter((r) => r.table !== 'auth_user');
  const base = { table, parents: [...new Set(own.map((r) => r.table))], eventData: false, discovered: true, refs: own };
  if (others.length) return { ...base, scope: { by: 'refs' }, userRefs: userRefs.length ? userRefs : undefined };
  if (userRefs.length) return { ...base, scope: { by: 'user', column: userRefs[0] } };
  return { ...base, scope: { by: 'all' }, fullOnly: true };
}

/** A discovered table is tied to a scope when one of its references leads to a table that narrows. */
function tiedToScope(t: TableSpec, carried: Map<string, TableSpec>): boolean {
  if (t.scope.by === 'user') return true;
  return (t.refs ?? []).some((r) => {
    const parent = carried.get(r.table);
    return parent !== undefined && narrows(parent) && parent.table !== t.table;
  });
}

/** A discovered table that references event data is event data too (skipped by --no-events). */
function deriveEventData(ordered: TableSpec[], all: Map<string, TableSpec>): void {
  for (let i = 0; i < ordered.length; i++) {
    const t = ordered[i];
    if (t.discovered && !t.eventData && t.parents.some((p) => all.get(p)?.eventData)) ordered[i] = { ...t, eventData: true };
    all.set(t.table, ordered[i]);
  }
}

/**
 * Parents first. Among tables whose parents are all placed, Sentry's catalogue order wins, then
 * names; a self-reference does not order (rows of one table load in key order). A cycle between
 * tables has no order in which every commit keeps its foreign keys: refused, naming it (or, when
 * nothing is loaded — verify — the rest simply follows in name order).
 */
function loadOrder(tables: Map<string, TableSpec>, strict: boolean): TableSpec[] {
  const rank = (t: TableSpec) => {
    const i = CATALOG.findIndex((c) => c.table === t.table);
    return i < 0 ? CATALOG.length : i;
  };
  const pending = [...tables.values()].sort((a, b) => rank(a) - rank(b) || a.table.localeCompare(b.table));
  const placed = new Set<string>();
  const out: TableSpec[] = [];
  while (pending.length) {
    const i = pending.findIndex((t) => t.parents.every((p) => p === t.table || placed.has(p) || !tables.has(p)));
    if (i < 0 && !strict) {
      out.push(...pending.splice(0));
      break;
    }
    if (i < 0) {
      const cycle = pending.map((t) => `${t.table} -> ${t.parents.filter((p) => tables.has(p) && !placed.has(p) && p !== t.table).join(', ')}`);
      throw new UsageError(
        `these tables reference each other in a cycle, so no load order keeps their foreign keys at every commit; nothing was written:\n  - ${cycle.join('\n  - ')}`,
        'carry them another way and leave them out here with --exclude-table TABLE (repeatable)',
      );
    }
    const [t] = pending.splice(i, 1);
    placed.add(t.table);
    out.push(t);
  }
  return out;
}
