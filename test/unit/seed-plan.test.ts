/**
 * The seed's generator without a database: determinism, counters that add up, template-spliced node
 * bodies equal to a full pickle of the event dict, and node references that decode (also in python3).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { pickle } from '../../src/codec/pickle-write.js';
import { decodeNodeRef } from '../../src/codec/sentry-encodings.js';
import { NodeRefEncoder } from '../../src/setup/node-ref.js';
import { keyOrder } from '../../src/setup/seed-events.js';
import { MAX_VARIANTS, planEvents, planGroups } from '../../src/setup/seed-groups.js';
import { Rng } from '../../src/setup/seed-random.js';
import { eventDict, Variants } from '../../src/setup/seed-variants.js';
import { buildWorld } from '../../src/setup/seed-world.js';
import { buildLoadPlan } from '../../src/setup/seed.js';

function planDigest(events: number, seed: number): string {
  const h = createHash('sha256');
  const { load } = buildLoadPlan(events, seed, 'postgres');
  for (const t of [...load.parents, ...load.parallel, ...load.rest]) {
    h.update(t.table + '\n');
    for (const r of t.rows) h.update(r.map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('\t') + '\n');
  }
  return h.digest('hex');
}

describe('seed plan', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    assert.equal(planDigest(500, 3), planDigest(500, 3));
    assert.notEqual(planDigest(500, 3), planDigest(500, 4));
  });

  it('gives every event to a group and keeps group counters consistent', () => {
    const rng = new Rng(5);
    const world = buildWorld(rng);
    const groups = planGroups(world, 5000, rng);
    const plan = planEvents(groups, 5000, rng);
    assert.equal(groups.reduce((n, g) => n + g.count, 0), 5000);
    for (let i = 1; i < plan.count; i++) assert.ok(plan.time[i] >= plan.time[i - 1], 'ids follow time');
    groups.forEach((g, gi) => {
      let n = 0;
      for (let v = 0; v < MAX_VARIANTS; v++) n += plan.variantCount[gi * MAX_VARIANTS + v];
      assert.equal(n, g.count);
      assert.ok(g.firstSeen <= g.lastSeen && g.count >= 1);
    });
    const ids = new Set<string>();
    for (let i = 0; i < plan.count; i++) ids.add(plan.eventIds.toString('hex', i * 16, i * 16 + 16));
    assert.equal(ids.size, plan.count);
    const order = keyOrder(plan);
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: plan.count }, (_, i) => i));
  });

  it('splices node bodies that equal the full pickle of the event dict', () => {
    const rng = new Rng(9);
    const world = buildWorld(rng);
    const groups = planGroups(world, 3000, rng);
    const variants = new Variants(rng);
    for (const g of groups.slice(0, 60)) {
      for (let v = 0; v < g.variants; v++) {
        const full = pickle(eventDict(g, variants.text(g, v)), 0);
        assert.ok(variants.pickled(g, v).equals(full), `group ${g.id} variant ${v}`);
        assert.ok(inflateSync(Buffer.from(variants.body(g, v), 'base64')).equals(full));
      }
    }
  });

  it('encodes node references that the codec and python3 decode', () => {
    const enc = new NodeRefEncoder();
    const rng = new Rng(1);
    const ids = Array.from({ length: 50 }, () => rng.bytes(16).toString('base64'));
    const values = ids.map((id) => enc.encode(id));
    values.forEach((v, i) => assert.equal(decodeNodeRef(v), ids[i]));
    assert.ok(values.every((v) => v.startsWith('eJ')));
    const script = 'import sys,json,base64,zlib,pickle\n' +
      "print(json.dumps([pickle.loads(zlib.decompress(base64.b64decode(v)), encoding='bytes')[b'node_id'].decode() for v in json.load(sys.stdin)]))";
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ids);
  });
});
