/**
 * What a non-final `sync` round hashes: every carried column but the long ones (text, bytes, json: an event's
 * and a node's `data`, a group's or an event's `message`, an option's `value`). Those cost most of a row's
 * hash while Sentry writes them almost only with the rest of the row (a new event, a new node, a group whose
 * counters and last_seen move with its data); a row whose other columns differ is brought over whole, long
 * columns included. What this leaves for later is an edit of nothing but long columns (an option's value, a
 * note's text, a node rewritten in place): the next `--final` compares every column and brings it over.
 */
import type { SchemaInfo } from '../db/introspect.js';
import type { ColumnKind } from '../db/engine.js';
import type { Exclusions } from './exclusions.js';

const LONG: ReadonlySet<ColumnKind> = new Set(['text', 'bytes', 'json']);

/** The user's exclusions plus, per table, the source's long columns (never the key): a cheap round's comparison. */
export function withoutLongColumns(e: Exclusions, source: SchemaInfo, tables: { table: string; pk: string }[]): Exclusions {
  const columns = new Map([...e.columns].map(([t, cs]) => [t, new Set(cs)]));
  for (const { table, pk } of tables) {
    for (const c of source.columns.get(table) ?? []) {
      if (!LONG.has(c.kind) || c.name === pk) continue;
      let set = columns.get(table);
      if (!set) columns.set(table, (set = new Set()));
      set.add(c.name);
    }
  }
  return { tables: e.tables, columns };
}
