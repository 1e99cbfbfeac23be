/** Human output of `undo`. */
import type { UndoResult } from '../admin/undo.js';
import type { Journal } from '../journal/journal.js';

export function renderUndo(r: UndoResult, journal: Journal, path: string): string {
  const verb = r.applied ? 'reverted' : 'would revert';
  const lines = [`${verb} ${r.reverted} change(s) of ${journal.command} (${journal.summary})` +
    (r.alreadyReverted ? `; ${r.alreadyReverted} already not in the database` : '')];
  for (const [t, n] of Object.entries(r.byTable)) lines.push(`  ${t}: ${n}`);
  for (const c of r.conflicts) lines.push(`refused ${c.table} ${JSON.stringify(c.key)}: ${c.reason}`);
  if (!r.applied) lines.push('preview only: add --apply to write');
  else if (r.conflicts.length) lines.push(`the journal keeps the ${r.conflicts.length} refused change(s): resolve them, then run undo ${path} again to reverse just those`);
  return lines.join('\n');
}
