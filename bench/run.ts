/**
 * `npm run bench [-- <case>] [case flags]`: runs one benchmark case, `migrate` by default.
 *
 * A case is any `bench/<name>.ts` (other than run.ts and lib.ts) that exports
 *   run(args: string[]): Promise<number>   // figures on stdout, progress on stderr; the exit code
 *   description?: string                    // one line for `npm run bench -- --list`
 * Cases are found on disk and loaded on demand, so this file depends on none of them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const NOT_CASES = new Set(['run', 'lib', 'drain-backlog']); // drain-backlog: the drain case's backlog builder

function cases(): string[] {
  return readdirSync(HERE)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_CASES.has(n))
    .sort();
}

/** A case exporting run(args) is imported; a plain script case runs as its own process. */
function isModuleCase(name: string): boolean {
  return /export (async )?function run\(/.test(readFileSync(`${HERE}${name}.ts`, 'utf8'));
}

function describe(name: string): string {
  const text = readFileSync(`${HERE}${name}.ts`, 'utf8');
  const d = /export const description = ['`"](.*)['`"]/.exec(text) ?? /^\/\*\*?\s*\n?\s*\*?\s*(.+)$/m.exec(text);
  return d ? d[1].trim() : '';
}

async function load(name: string): Promise<{ run: (args: string[]) => Promise<number>; description?: string }> {
  if (!isModuleCase(name)) {
    return {
      run: async (args) => spawnSync(process.execPath, ['--import', 'tsx', `${HERE}${name}.ts`, ...args], { stdio: 'inherit' }).status ?? 1,
    };
  }
  const mod = await import(pathToFileURL(`${HERE}${name}.ts`).href);
  if (typeof mod.run !== 'function') throw new Error(`bench/${name}.ts exports no run(args)`);
  return mod;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--list' || first === 'list') {
    for (const n of cases()) console.log(`${n.padEnd(20)} ${describe(n)}`);
    return 0;
  }
  if (first === '--help' || first === '-h') {
    console.log(`npm run bench [-- <case> [flags]]   (default case: migrate; \`npm run bench -- <case> --help\` for its flags)\ncases: ${cases().join(', ')}`);
    return 0;
  }
  const explicit = first !== undefined && !first.startsWith('-');
  const name = explicit ? first : 'migrate';
  if (!cases().includes(name)) {
    console.error(`bench: no case "${name}"; cases: ${cases().join(', ')}`);
    return 2;
  }
  return (await load(name)).run(explicit ? rest : argv);
}

// Ctrl-C: the running case's children get the signal too; let the case's finally-blocks clean up.
// A second Ctrl-C exits at once.
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nbench: interrupted; cleaning up (Ctrl-C again to leave everything as it is)\n');
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = interrupted ? 130 : code;
  },
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
