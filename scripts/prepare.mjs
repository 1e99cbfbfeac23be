// The `prepare` script: build dist/ when it can, and make `npm install -g .` from a clone work.
//
// npm runs `prepare` after `npm install` / `npm ci` in a clone, before `npm pack` / `npm publish` (after
// `prepack`), and after a global install of a folder. That last one links the folder and installs none of its
// dependencies (npm 7 and later; npm/cli#2968), so the build tools and the CLI's own dependencies are missing:
// then we install them here with the lockfile (`npm ci`) and build. An installed tarball never runs this.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const has = (path) => existsSync(join(root, path));
const env = process.env;
const command = env.npm_command ?? '';
const globalInstall = env.npm_config_global === 'true';

const log = (line) => process.stderr.write(`sentry-admin prepare: ${line}\n`);

/** Run npm (the same one that runs us) in the clone as a local project, whatever the parent was told. */
function npm(args) {
  const childEnv = { ...env };
  // Settings of the global install that a project install refuses or would misread (--allow-scripts is an error there).
  for (const k of Object.keys(childEnv)) {
    if (/^npm_config_(global|location|prefix|local_prefix|allow_scripts.*)$/.test(k)) delete childEnv[k];
  }
  const [cmd, pre] = env.npm_execpath ? [process.execPath, [env.npm_execpath]] : ['npm', []];
  const r = spawnSync(cmd, [...pre, ...args, '--global=false'], { cwd: root, env: childEnv, stdio: 'inherit' });
  if (r.status !== 0) {
    log(`\`npm ${args.join(' ')}\` failed${r.error ? `: ${r.error.message}` : ''}`);
    process.exit(r.status || 1);
  }
}

const devTools = has('node_modules/typescript/package.json') && has('node_modules/esbuild/package.json');

if (devTools) {
  npm(['run', 'build']);
} else if (globalInstall && !has('node_modules')) {
  log(`installing the dependencies in ${root} (npm links a folder installed with -g and installs none)`);
  npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
  npm(['run', 'build']);
} else if (has('dist/cli/main.js')) {
  log('devDependencies are not installed; keeping dist/ as it was built');
} else if (globalInstall || command === 'pack' || command === 'publish') {
  log('dist/ is not built and the devDependencies (typescript, esbuild) are not installed');
  log(`run \`npm ci\` in ${root} first`);
  process.exit(1);
} else {
  log('devDependencies are not installed, so dist/ was not built: run `npm ci` (or `npm run build`) before using bin/sentry-admin');
}
