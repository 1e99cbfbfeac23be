/**
 * What the user leaves out on purpose: `--exclude-table T`, `--exclude-column T.C` (repeatable) or
 * SENTRY_ADMIN_EXCLUDE ("T T.C …", comma or space separated). The only way past a refusal to drop
 * data; recorded with the run (its scope text) and honoured by verify.
 */
import type { SchemaInfo } from '../db/introspect.js';
import { UsageError } from '../errors.js';

export interface Exclusions {
  tables: Set<string>;
  /** table -> columns */
  columns: Map<string, Set<string>>;
}

export const NO_EXCLUSIONS: Exclusions = { tables: new Set(), columns: new Map() };

const NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;

/** Parse the flags (and the environment's list); every malformed item is reported together. */
export function parseExclusions(tables: string[] = [], columns: string[] = [], env?: string): Exclusions {
  const problems: string[] = [];
  const out: Exclusions = { tables: new Set(), columns: new Map() };
  const items = [...tables.map((t) => ({ text: t, column: false })), ...columns.map((c) => ({ text: c, column: true }))];
  for (const text of (env ?? '').split(/[\s,]+/).filter(Boolean)) items.push({ text, column: text.includes('.') });
  for (const { text, column } of items) {
    const parts = text.split('.');
    if (column) {
      if (parts.length !== 2 || !parts.every((p) => NAME.test(p))) {
        problems.push(`--exclude-column "${text}" must be TABLE.COLUMN, e.g. sentry_eventmapping.event_id`);
        continue;
      }
      let set = out.columns.get(parts[0]);
      if (!set) out.columns.set(parts[0], (set = new Set()));
      set.add(parts[1]);
    } else if (parts.length !== 1 || !NAME.test(text)) {
      problems.push(`--exclude-table "${text}" must be a table name, e.g. sentry_messageindex`);
    } else out.tables.add(text);
  }
  if (problems.length) throw new UsageError(problems.join('\n  '));
  return out;
}

export function isExcludedTable(e: Exclusions, table: string): boolean {
  return e.tables.has(table);
}

export function isExcludedColumn(e: Exclusions, table: string, column: string): boolean {
  return e.columns.get(table)?.has(column) ?? false;
}

export function hasExclusions(e: Exclusions): boolean {
  return e.tables.size > 0 || e.columns.size > 0;
}

/** Stable text for reports and for the namespace's identity ("" when nothing is excluded). */
export function describeExclusions(e: Exclusions): string {
  const items = [...[...e.tables].sort(), ...[...e.columns].flatMap(([t, cs]) => [...cs].map((c) => `${t}.${c}`)).sort()];
  return items.length ? `excluding ${items.join(' ')}` : '';
}

/** A name that exists on neither side is a typo, not an exclusion: refuse it (exit 2). */
export function checkExclusions(e: Exclusions, schemas: (SchemaInfo | null | undefined)[]): void {
  const problems: string[] = [];
  const present = (table: string) => schemas.some((s) => s?.columns.has(table));
  for (const t of e.tables) if (!present(t)) problems.push(`--exclude-table ${t}: no such table on either side`);
  for (const [t, cols] of e.columns) {
    for (const c of cols) {
      if (!schemas.some((s) => s?.columns.get(t)?.some((x) => x.name === c))) problems.push(`--exclude-column ${t}.${c}: no such column on either side`);
    }
  }
  if (problems.length) throw new UsageError(`${problems.join('\n  ')}; nothing was written`, 'check the names against the source database');
}
