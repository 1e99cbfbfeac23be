/** A PostgreSQL identifier in double quotes, for the rare raw SQL text (bulk load statements, DDL). */
export function quote(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
