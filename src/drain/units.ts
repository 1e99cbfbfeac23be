/**
 * What a unit (one database transaction of the drain) takes and gives back: shared by apply-units.ts, which runs the
 * units, and apply-set.ts, which applies one set-based, so that neither imports the other's types.
 */
import type { ApplyResult, Outcome } from './apply-entry.js';
import type { BufferEntry } from './decode-entry.js';

export interface UnitItem {
  id: string;
  entry: BufferEntry;
}

export interface UnitsResult {
  results: Map<string, ApplyResult>;
  /** Outcomes of the merged TagKey / GroupTagKey follow-up rows. */
  followUps: { outcome: Outcome; n: number }[];
  failed: Map<string, string>;
  uncertain: string[];
}
