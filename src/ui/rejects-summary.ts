import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { table } from './output.js';

/**
 * The rejects file (one JSON line per rejected row: table, key, reason, row) summed up for the
 * screen: rows rejected for their own values, by table and reason, apart from the rows rejected
 * only because a row they reference was (children: a handful of bad values can cost hundreds).
 */
export interface RejectSummary {
  file: string;
  rows: number;
  values: { table: string; reason: string; rows: number }[];
  children: { table: string; via: string; rows: number }[];
}

const CHILD = /^references a rejected row \((.+) \S+\)$/;

export async function summariseRejects(file: string): Promise<RejectSummary | null> {
  if (!existsSync(file)) return null;
  const values = new Map<string, { table: string; reason: string; rows: number }>();
  const children = new Map<string, { table: string; via: string; rows: number }>();
  let rows = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let r: { table?: string; reason?: string };
    try {
      r = JSON.parse(line);
    } catch {
      continue; // a line cut by a crash: the rest of the file still counts
    }
    rows++;
    const t = String(r.table ?? '?');
    const reason = String(r.reason ?? '?');
    const child = CHILD.exec(reason);
    if (child) {
      const k = `${t}\0${child[1]}`;
      (children.get(k) ?? children.set(k, { table: t, via: child[1], rows: 0 }).get(k)!).rows++;
    } else {
      const general = generalise(reason);
      const k = `${t}\0${general}`;
      (values.get(k) ?? values.set(k, { table: t, reason: general, rows: 0 }).get(k)!).rows++;
    }
  }
  const byRows = <T extends { rows: number }>(m: Map<string, T>) => [...m.values()].sort((a, b) => b.rows - a.rows);
  return { file, rows, values: byRows(values), children: byRows(children) };
}

/** One reason for rows that differ only in the value: `"0000-00-00 00:00:00"` and `123` become placeholders. */
function generalise(reason: string): string {
  return reason.replace(/"[^"]*"/, '"…"').replace(/^([^:]+): -?\d+ is out of range/, '$1: a value out of range');
}

const SHOWN = 10;

export function renderRejects(s: RejectSummary): string[] {
  const out: string[] = [];
  const own = s.values.reduce((a, v) => a + v.rows, 0);
  const kids = s.children.reduce((a, v) => a + v.rows, 0);
  out.push(`${s.rows} rows rejected (${s.file} has each row and why):`);
  if (own) {
    out.push(`  ${own} for their own values:`);
    out.push(indent(table(['table', 'rows', 'reason'], s.values.slice(0, SHOWN).map((v) => [v.table, v.rows, v.reason]))));
    if (s.values.length > SHOWN) out.push(`    … and ${s.values.length - SHOWN} more (table, reason) pairs`);
  }
  if (kids) {
    out.push(`  ${kids} because a row they reference was rejected:`);
    out.push(indent(table(['table', 'rows', 'reference'], s.children.slice(0, SHOWN).map((v) => [v.table, v.rows, v.via]))));
    if (s.children.length > SHOWN) out.push(`    … and ${s.children.length - SHOWN} more`);
  }
  return out;
}

const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');
