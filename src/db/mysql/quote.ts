/** A MySQL identifier in backquotes, for the rare raw SQL text (bulk load statements, DDL). */
export function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}
