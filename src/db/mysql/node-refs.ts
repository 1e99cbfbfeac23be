import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import { encodeNodeRef } from '../../codec/sentry-encodings.js';
import type { NodeRefSql } from '../engine.js';

/**
 * The node id inside a `sentry_message.data` value, read by the server itself: base64 (FROM_BASE64),
 * zlib (UNCOMPRESS, given the 4-byte length header MySQL's COMPRESS writes before the same zlib stream;
 * a 4 KiB bound, far above a pickled `{'node_id': …}`), then the pickle Python 2 writes for it
 * (protocol 0, docs/sentry7-schema.md §8) matched as the JavaScript decoder's fast path matches it
 * (src/codec/sentry-encodings.ts SIMPLE_NODE_REF). Anything else — legacy inline data, whitespace in the
 * base64, another pickle shape, a value UNCOMPRESS refuses — gives NULL and is decoded by the caller.
 * Reading ids on the server spares sending every in-scope event's `data` to the client and inflating it
 * there (124k events: 0.15 s of server time against ~1 s of client time).
 *
 * Regular expressions go as parameters (no escaping that depends on sql_mode), `\z` for the very end
 * (PCRE's `$` also matches before a final newline). REGEXP_SUBSTR is MariaDB 10.0.5+ and MySQL 8.0+:
 * `probe` checks the expression on a value of known id and, where it fails or differs, nothing is read
 * on the server.
 */
const BASE64 = '^[A-Za-z0-9+/]+={0,2}\\z';
const PICKLE = "^\\(dp[0-9]+\\nS'node_id'\\np[0-9]+\\nS'[A-Za-z0-9+/=._-]*'\\np[0-9]+\\ns\\.\\z";
const LENGTH_4K = sql`UNHEX('00100000')`;

function nodeRefOf(data: Expression<unknown>): RawBuilder<string | null> {
  const pickle = sql`UNCOMPRESS(CONCAT(${LENGTH_4K}, FROM_BASE64(${data})))`;
  // The id is what stands between the pickle's third and fourth quote.
  const match = sql`NULLIF(REGEXP_SUBSTR(${pickle}, ${PICKLE}), '')`;
  const id = sql`SUBSTRING_INDEX(SUBSTRING_INDEX(${match}, '''', 4), '''', -1)`;
  return sql<string | null>`CASE WHEN ${data} REGEXP ${BASE64} THEN CAST(${id} AS CHAR CHARACTER SET ascii) END`;
}

const SAMPLE_ID = 'n0D3+ref/probe_id==';
/** base64(zlib(pickle({'x': 'y'}))): a dict without `node_id`. */
const OTHER_PICKLE = 'eJzTSCkw5ApWr1DnKjDiClavVOcqMOYq1gMAQyEFeQ==';

export const mysqlNodeRefs: NodeRefSql = {
  select: nodeRefOf,
  async probe(db: Kysely<any>) {
    try {
      const r = await sql<{ id: unknown; other: unknown }>`SELECT ${nodeRefOf(sql`${encodeNodeRef(SAMPLE_ID)}`)} AS id, ${nodeRefOf(sql`${OTHER_PICKLE}`)} AS other`.execute(db);
      const row = r.rows[0];
      return String(row?.id) === SAMPLE_ID && row?.other === null;
    } catch {
      return false;
    }
  },
};
