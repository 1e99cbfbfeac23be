// scratch probe (not committed): exporter read+encode speed per table, without Redis
import { openSnapshotReader } from '../../src/db/snapshot.js';
import { parseDbUrl } from '../../src/db/url.js';
import { connect } from '../../src/db/connect.js';
import { introspect } from '../../src/db/introspect.js';
import { canonical } from '../../src/transfer/row-codec.js';
const url = parseDbUrl(process.argv[2]);
const tables = process.argv.slice(3);
const c = await connect(url, { poolSize: 1 });
const schema = await introspect(c);
await c.close();
for (const t of tables) {
  const cols = schema.columns.get(t)!;
  const reader = await openSnapshotReader(url);
  const t0 = performance.now(); let cpu0 = process.cpuUsage();
  let n = 0, bytes = 0, enc = 0; let rows: unknown[][] = []; let b = 0;
  for await (const raw of reader.stream(`SELECT ${cols.map((x) => '`' + x.name + '`').join(', ')} FROM \`${t}\` ORDER BY \`id\``, [])) {
    const row = cols.map((col, i) => canonical(col.kind, (raw as unknown[])[i], 'mysql'));
    rows.push(row); n++;
    for (const v of row) b += typeof v === 'string' ? v.length + 3 : 6;
    if (rows.length >= 5000 || b >= 4 << 20) { const e0 = performance.now(); const s = JSON.stringify({ table: t, rows }); bytes += Buffer.byteLength(s); enc += performance.now() - e0; rows = []; b = 0; }
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`${t}: ${n} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB JSON in ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${(cpu.user / 1e6 + cpu.system / 1e6).toFixed(1)} s CPU (stringify ${(enc / 1000).toFixed(1)} s)`);
  await reader.close();
}
