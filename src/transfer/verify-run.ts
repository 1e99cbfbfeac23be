import { connect } from '../db/connect.js';
import type { DbUrl } from '../db/url.js';
import { readRejectedKeys } from './rejects.js';
import { type ScopeOptions, resolveScope } from './scope.js';
import { type VerifyOptions, type VerifyReport, verify } from './verify.js';

/** What `verify` takes: two URLs and the scope as the user gave it (slugs, a date), resolved here. */
export interface VerifyRunOptions extends Omit<VerifyOptions, 'rejected' | 'rejectsFile'> {
  source: DbUrl;
  target: DbUrl;
  scope: ScopeOptions;
  /** The migration's rejects file: the rows it lists are reported as rejected, not as missing. */
  rejectsFile?: string;
  /** Called once both databases answer and the scope is resolved, as the comparison starts (progress display). */
  onStart?: () => void;
}

/**
 * The `verify` command as one call: reads the rejects file (a bad one is refused before any connection), opens both
 * databases, resolves the scope against the source (slugs to ids, as a migration does), compares, and closes both.
 */
export async function runVerify(o: VerifyRunOptions): Promise<VerifyReport> {
  const { source: sourceUrl, target: targetUrl, scope: scopeOptions, rejectsFile, onStart, ...opts } = o;
  const rejected = rejectsFile ? await readRejectedKeys(rejectsFile) : undefined;
  const source = await connect(sourceUrl);
  try {
    const target = await connect(targetUrl);
    try {
      const scope = await resolveScope(source.db, scopeOptions);
      onStart?.();
      return await verify(source, target, scope, { ...opts, rejected, rejectsFile: rejectsFile ?? null });
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
