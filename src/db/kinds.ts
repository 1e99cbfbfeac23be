import type { ColumnKind } from './engine.js';

/** Map an engine-native column type to the family both engines share. */
export function columnKind(dataType: string, columnType: string): ColumnKind {
  const t = dataType.toLowerCase();
  const ct = columnType.toLowerCase();
  if (t === 'tinyint' && /^tinyint\(1\)/.test(ct)) return 'bool';
  if (t === 'boolean' || t === 'bool') return 'bool';
  if (t === 'bigint' || t === 'int8') return 'int64';
  if (t === 'int' || t === 'integer' || t === 'int4' || t === 'mediumint') return ct.includes('unsigned') ? 'int64' : 'int32';
  if (t === 'smallint' || t === 'int2' || t === 'tinyint') return 'int16';
  if (t === 'double' || t === 'float' || t === 'real' || t === 'double precision') return 'float';
  if (t === 'decimal' || t === 'numeric') return 'decimal';
  if (t === 'varchar' || t === 'character varying' || t === 'char' || t === 'character') return 'varchar';
  if (t.endsWith('text')) return 'text';
  if (t === 'datetime' || t.startsWith('timestamp')) return 'datetime';
  if (t === 'date') return 'date';
  if (t === 'inet') return 'inet';
  if (t === 'bytea' || t.endsWith('blob') || t === 'binary' || t === 'varbinary') return 'bytes';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}

/** Fold one-row-per-column key listings into one object per key. */
export function groupKeys<T extends { name: string; table: string }>(
  rows: any[],
  make: (row: any) => T,
  add: (key: T, row: any) => void,
): T[] {
  const out: T[] = [];
  let cur: T | undefined;
  for (const row of rows) {
    if (!cur || cur.name !== row.name || cur.table !== row.tbl) out.push((cur = make(row)));
    add(cur, row);
  }
  return out;
}
