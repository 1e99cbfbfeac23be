/**
 * The package as users get it: `npm pack`, then `npm install -g` of that tarball into a temporary prefix, then the
 * installed `sentry-admin`. Catches a `files` list that leaves out dist/ or sql/, and a runtime dependency that is
 * only a devDependency (the commands load their drivers lazily, so --help alone would not notice: one command per
 * driver runs too). `npm run build` first: the tarball carries dist/ as built (packing with --ignore-scripts, so
 * this test does not build a second time). Needs the npm registry only for what npm's cache lacks.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type CliResult, ENGINES, REDIS_DB, REDIS_URL, type TempDatabase, runProgram, tempDatabase, uniqueName } from '../helpers/servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** Run a program with our environment minus what an outer `npm test` or the user set for npm or sentry-admin. */
function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) {
    if (k.startsWith('SENTRY_ADMIN_') || /^npm_(command|lifecycle_|package_|config_(global|prefix|local_prefix|location)$)/.test(k)) delete env[k];
  }
  return runProgram(cmd, args, { env, cwd: opts.cwd });
}

/** npm itself: the one running `npm test` when there is one, else the one on PATH. */
const npm = (args: string[], cwd: string) =>
  process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath)
    ? run(process.execPath, [process.env.npm_execpath, ...args], { cwd })
    : run('npm', args, { cwd });

describe('the packed tarball installs and runs', () => {
  let dir: string;
  let prefix: string;
  let installed: string;
  let bin: string;

  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'sa-package-'));
    prefix = join(dir, 'prefix');
    const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    assert.equal(pack.code, 0, pack.stderr);
    const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
    const tarball = join(dir, filename);
    const install = await npm(
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], dir,
    );
    assert.equal(install.code, 0, install.stderr);
    installed = join(prefix, 'lib', 'node_modules', PKG.name);
    bin = join(prefix, 'bin', 'sentry-admin');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs a copy with dist/ and sql/, not a link to this checkout', () => {
    assert.ok(existsSync(bin), `no ${bin}`);
    assert.ok(existsSync(join(installed, 'dist/cli/main.js')), 'dist/ is not in the tarball');
    for (const engine of ['mysql', 'postgres']) assert.ok(existsSync(join(installed, `sql/${engine}/sentry-7.7.sql`)), `sql/${engine} is not in the tarball`);
    assert.ok(!existsSync(join(installed, 'src')), 'src/ is shipped');
    assert.ok(!existsSync(join(installed, 'test')), 'test/ is shipped');
    assert.deepEqual(readdirSync(join(installed, 'node_modules')).filter((d) => ['typescript', 'esbuild', 'tsx'].includes(d)), [], 'devDependencies were installed');
  });

  it('sentry-admin --help and --version', async () => {
    const help = await run(bin, ['--help'], { cwd: dir });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: sentry-admin /m);
    for (const c of ['migrate', 'verify', 'approve-requests', 'drain-buffer']) assert.match(help.stdout, new RegExp(`^  ${c}\\b`, 'm'));
    const version = await run(bin, ['--version'], { cwd: dir });
    assert.deepEqual([version.code, version.stdout.trim()], [0, PKG.version], 'the CLI reports the version of package.json');
  });

  it('commands load their drivers and the schema files from the installed copy', async () => {
    for (const engine of ENGINES) {
      let db: TempDatabase | undefined;
      try {
        db = await tempDatabase(engine, 'sa_pkg');
        const r = await run(bin, ['init-schema', '--db', db.text], { cwd: dir });
        assert.equal(r.code, 0, `${engine}: ${r.stderr}`);
        assert.match(r.stdout, /created the Sentry 7\.7 schema/);
      } finally {
        await db?.drop();
      }
    }
    const status = await run(bin, ['status', '--json', '--redis', REDIS_URL(REDIS_DB.staging), '--namespace', uniqueName('sa-pkg')], { cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    JSON.parse(status.stdout);
  });
});
