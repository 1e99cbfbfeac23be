/**
 * The Lua scripts of the staging side (staging.ts), kept together so they can be read as one piece. Each runs
 * atomically in Redis. Guarded scripts (every write of a run) start with GUARD: KEYS[1] is `<ns>:meta` and
 * ARGV[1] the run id, and the caller's keys and arguments follow from KEYS[2] / ARGV[2].
 */
/** Prefixed to every guarded write: KEYS[1] is `<ns>:meta`, ARGV[1] the run id; -1 when the run is gone. */
export const GUARD = `if redis.call('hget', KEYS[1], 'id') ~= ARGV[1] then return -1 end\n`;

/** ARGV[2] state word. */
export const SET_STATE = `redis.call('hset', KEYS[1], 'state', ARGV[2]) return 1`;

/** KEYS[2] stream; ARGV[2] group. Creates the stream and its consumer group unless there. */
export const ENSURE_GROUP = `if redis.call('exists', KEYS[2]) == 0 or #redis.call('xinfo', 'groups', KEYS[2]) == 0 then redis.call('xgroup', 'create', KEYS[2], ARGV[2], '0', 'MKSTREAM') end return 1`;

/** KEYS[2] payload key, [3] stream, [4] export checkpoints, [5] progress, [6] staged-bytes;
 * ARGV[2] payload, [3] seq, [4] rows, [5] bytes, [6] first key, [7] last key, [8] table, [9] checkpoint key.
 * staged-bytes moves by what Redis really spends on the payload (MEMORY USAGE: the allocation, not the
 * length), recorded in the descriptor as `mem` so the ack gives back exactly that. */
export const STAGE = `redis.call('set', KEYS[2], ARGV[2])
local mem = redis.call('memory', 'usage', KEYS[2]) or tonumber(ARGV[5])
redis.call('xadd', KEYS[3], '*', 'seq', ARGV[3], 'key', KEYS[2], 'rows', ARGV[4], 'bytes', ARGV[5], 'first', ARGV[6], 'last', ARGV[7], 'mem', mem)
redis.call('hset', KEYS[4], ARGV[8] .. ':last', ARGV[9], ARGV[8] .. ':seq', ARGV[3] + 1)
redis.call('hincrby', KEYS[5], 'exported_rows', ARGV[4])
redis.call('hincrby', KEYS[5], 'exported_chunks', 1)
redis.call('hincrby', KEYS[5], 'exported_bytes', ARGV[5])
redis.call('incrby', KEYS[6], mem)
return 1`;

/** KEYS: the keys to measure; ARGV[1] how many of them (from the first) are measured exactly (SAMPLES 0), the
 * rest by Redis's default sampling (sets that may be large). Sums MEMORY USAGE; a missing key counts 0. */
export const MEMORY_OF = `local n = 0
for i, k in ipairs(KEYS) do
  local m = i <= tonumber(ARGV[1]) and redis.call('memory', 'usage', k, 'samples', 0) or redis.call('memory', 'usage', k)
  n = n + (m or 0)
end
return n`;

/** KEYS[2] export checkpoints; ARGV[2] field, [3] value. */
export const ADVANCE = `redis.call('hset', KEYS[2], ARGV[2], ARGV[3]) return 1`;

/** KEYS[2] payload key, [3] stream, [4] progress; ARGV[2] stream id, [3] payload, [4] row difference.
 * Only for a descriptor still queued whose payload is missing. */
export const RESTAGE = `if #redis.call('xrange', KEYS[3], ARGV[2], ARGV[2]) == 0 or redis.call('exists', KEYS[2]) == 1 then return 0 end
redis.call('set', KEYS[2], ARGV[3])
redis.call('hincrby', KEYS[4], 'exported_rows', ARGV[4])
return 1`;

/** KEYS[2] stream, [3] payload key, [4] staged-bytes, [5] progress; ARGV[2] stream id, [3] group, [4] bytes, [5] rows.
 * Withdraws a chunk still queued (returns 1): it leaves the stream and the exported counters, as if never staged. */
export const WITHDRAW = `local s = KEYS[2]
if #redis.call('xrange', s, ARGV[2], ARGV[2]) == 0 then return 0 end
redis.call('xack', s, ARGV[3], ARGV[2])
redis.call('xdel', s, ARGV[2])
redis.call('del', KEYS[3])
redis.call('decrby', KEYS[4], ARGV[4])
redis.call('hincrby', KEYS[5], 'exported_rows', -tonumber(ARGV[5]))
redis.call('hincrby', KEYS[5], 'exported_chunks', -1)
return 1`;

/** KEYS[2] export checkpoints, [3] progress; ARGV[2] table, [3] seconds. */
export const MARK_EXPORTED = `redis.call('hset', KEYS[2], ARGV[2] .. ':done', '1')
redis.call('hset', KEYS[3], 'export_done', '1')
redis.call('hincrbyfloat', KEYS[3], 'export_seconds', ARGV[3])
return 1`;

/** KEYS[2] stream, [3] payload key, [4] staged-bytes, [5] progress;
 * ARGV[2] stream id, [3] group, [4] bytes, [5] rows loaded, [6] rows rejected, [7] seconds.
 * Counts only while the descriptor is still in the stream (returns 1), else just XACKs (returns 0). */
export const ACK = `local s = KEYS[2]
if #redis.call('xrange', s, ARGV[2], ARGV[2]) == 0 then redis.call('xack', s, ARGV[3], ARGV[2]) return 0 end
redis.call('xack', s, ARGV[3], ARGV[2])
redis.call('xdel', s, ARGV[2])
redis.call('del', KEYS[3])
redis.call('decrby', KEYS[4], ARGV[4])
redis.call('hincrby', KEYS[5], 'imported_rows', ARGV[5])
redis.call('hincrby', KEYS[5], 'imported_chunks', 1)
redis.call('hincrby', KEYS[5], 'rejected', ARGV[6])
redis.call('hincrbyfloat', KEYS[5], 'import_seconds', ARGV[7])
return 1`;

/** KEYS[2] rejected set; ARGV[2..] keys. */
export const ADD_REJECTED = `redis.call('sadd', KEYS[2], unpack(ARGV, 2)) return 1`;

/** KEYS[1] stream; ARGV[1] group, [2] consumer. Leaves the group when nothing is pending for it. */
export const LEAVE_GROUP = `local p = redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) if #p == 0 then redis.call('xgroup', 'delconsumer', KEYS[1], ARGV[1], ARGV[2]) end return 1`;

/**
 * KEYS: stream, meta. ARGV: group, consumer, lease key prefix, run id, count. For each pending entry whose
 * owner has no lease, XCLAIM it for `consumer`; drop dead owners left with nothing pending. The lease keys are
 * named from the owners, not passed in KEYS: fine on the single Redis instance staging uses, not on a cluster.
 */
export const RECLAIM = `
if redis.call('hget', KEYS[2], 'id') ~= ARGV[4] then return -1 end
local pending = redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 200)
local out, dead, n = {}, {}, 0
for _, p in ipairs(pending) do
  local owner = p[2]
  if owner ~= ARGV[2] and redis.call('exists', ARGV[3] .. owner) == 0 then
    dead[owner] = true
    if n < tonumber(ARGV[5]) then
      local c = redis.call('xclaim', KEYS[1], ARGV[1], ARGV[2], 0, p[1])
      for _, e in ipairs(c) do table.insert(out, e) end
      n = n + 1
    end
  end
end
for owner in pairs(dead) do
  if #redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 1, owner) == 0 then redis.call('xgroup', 'delconsumer', KEYS[1], ARGV[1], owner) end
end
return out`;

