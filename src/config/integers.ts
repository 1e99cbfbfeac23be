import { UsageError } from '../errors.js';

/**
 * Every whole-number option of every command is read here, the same way: plain decimal digits
 * (no sign, exponent, fraction, hex or separators: `1e3`, `1.0`, `0x10` and `5_000` are refused
 * everywhere alike), within bounds that keep the value a safe integer and the arithmetic done with
 * it exact (`--max-staged-mb` times 2^20 stays far below 2^53).
 */
export interface IntSpec {
  flag: string;
  min: number;
  max: number;
  /** Used when the flag is absent; shown by --help as "(default: N)". */
  default?: number;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** The whole-number options, one row each; commands pick theirs. */
export const INT = {
  jobs: { flag: '--jobs', min: 1, max: 64, default: 3 },
  chunkRows: { flag: '--chunk-rows', min: 1, max: 1_000_000, default: 5000 },
  maxStagedMb: { flag: '--max-staged-mb', min: 1, max: 1 << 20, default: 256 },
  maxDiffs: { flag: '--max-diffs', min: 1, max: 10_000_000, default: 10_000 },
  show: { flag: '--show', min: 0, max: 10_000_000, default: 10 },
  segmentRows: { flag: '--segment-rows', min: 1, max: 10_000_000, default: 10_000 },
  events: { flag: '--events', min: 0, max: 20_000_000, default: 1000 }, // seed's MAX_EVENTS (src/setup/seed.ts)
  seed: { flag: '--seed', min: 0, max: MAX, default: 1 },
  approveBatchSize: { flag: '--batch-size', min: 1, max: 5000, default: 500 },
  drainBatchSize: { flag: '--batch-size', min: 1, max: 5000, default: 1000 },
  pauseMs: { flag: '--pause-ms', min: 0, max: 60_000, default: 5 },
  concurrency: { flag: '--concurrency', min: 1, max: 32, default: 2 },
  maxKeys: { flag: '--max-keys', min: 1, max: MAX },
  scanPages: { flag: '--scan-pages', min: 1, max: 100_000, default: 50 },
  sample: { flag: '--sample', min: 0, max: 100_000, default: 200 },
  rounds: { flag: '--rounds', min: 0, max: 10_000 },
  untilChangedBelow: { flag: '--until-changed-below', min: 1, max: MAX },
  quietSeconds: { flag: '--quiet-seconds', min: 1, max: 3600, default: 5 },
  syncBatchRows: { flag: '--batch-rows', min: 1, max: 100_000, default: 2000 },
} satisfies Record<string, IntSpec>;

/** Parse one option; undefined text gives the default (or undefined). Throws a UsageError. */
export function parseInteger(text: unknown, spec: IntSpec): number | undefined {
  if (text === undefined || text === null) return spec.default;
  const s = String(text).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < spec.min || n > spec.max) {
    throw new UsageError(`${spec.flag} must be a whole number from ${spec.min} to ${spec.max.toLocaleString('en-US')}, got ${JSON.stringify(String(text))}`);
  }
  return n;
}

/** Help text suffix for a number option: "(default: 5000)". */
export function defaultText(spec: IntSpec): string {
  return spec.default === undefined ? '' : ` (default: ${spec.default})`;
}

/** camelCase key commander gives a flag: --max-staged-mb -> maxStagedMb. */
export function flagKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
