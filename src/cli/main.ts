import { Command, CommanderError, Help, type Option } from 'commander';
import { CliError, EXIT, UsageErrors } from '../errors.js';
import { readDotenv } from '../config/dotenv.js';
import { maskSecrets } from '../db/url.js';
import { Output, jsonReplacer, logAbove } from '../ui/output.js';
import { setRuntime } from './context.js';
import { COMMANDS } from './commands/index.js';
import { EXAMPLES } from './examples.js';

/**
 * Build the program and run it. This is the only place that decides the process exit code:
 * handlers return a code or throw a CliError; anything else is a runtime failure (exit 1)
 * reported in one line, never a stack trace (set SENTRY_ADMIN_DEBUG=1 for one).
 * With --json a failure is one JSON document on stdout: {"error", "hint", "exit"}.
 */
export async function main(argv: string[]): Promise<number> {
  const abort = new AbortController();
  let exitCode: number = EXIT.ok;
  let interrupts = 0;
  const json = wantsJson(argv);
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      const text = `${sig}: finishing the current batch and stopping (again to force)`;
      if (json) process.stderr.write(JSON.stringify({ log: text }) + '\n');
      else if (!logAbove(text)) process.stderr.write(`\n${text}\n`);
      abort.abort(new Error(sig));
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  setRuntime({ signal: abort.signal, setExitCode: (c) => (exitCode = c) });

  const program = buildProgram(json);
  if (!argv.length) {
    // A bare `sentry-admin` did not ask for help: the help goes to stderr, and the exit code says usage.
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    exitCode = report(err, json, commandOf(program, argv));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}

export function buildProgram(json = false): Command {
  const program = new Command('sentry-admin')
    .description('Migration and repair toolkit for self-hosted Sentry 7.x on MySQL and PostgreSQL')
    .version(VERSION);
  for (const register of COMMANDS) register(program);
  for (const c of [program, ...program.commands]) {
    c.exitOverride().configureHelp(HELP);
    const name = c === program ? undefined : c.name();
    if (json) c.configureOutput({ writeErr: () => undefined }); // the error goes into the JSON document instead
    else c.showHelpAfterError(`(see \`sentry-admin${name ? ` ${name}` : ''} --help\`)`);
    const examples = EXAMPLES[name ?? ''];
    if (examples) c.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n`);
  }
  return program;
}

/** Options show their default one way: "(default: X)", as the texts of options without a commander default do. */
const HELP: Partial<Help> = {
  optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(`one of: ${option.argChoices.join(', ')}`);
    const d = option.defaultValue;
    const showDefault = d !== undefined && !(Array.isArray(d) && d.length === 0) && typeof d !== 'boolean';
    if (showDefault) extra.push(`default: ${option.defaultValueDescription ?? String(d)}`);
    return extra.length ? `${option.description} (${extra.join('; ')})` : option.description;
  },
};

function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** The subcommand the arguments name, for hints ("see `sentry-admin migrate --help`"). */
function commandOf(program: Command, argv: string[]): string | undefined {
  const names = new Set(program.commands.map((c) => c.name()));
  return argv.find((a) => names.has(a));
}

function report(err: unknown, json: boolean, command: string | undefined): number {
  const help = `see \`sentry-admin${command ? ` ${command}` : ''} --help\``;
  let message: string;
  let hint: string | undefined;
  let code: number;
  let problems: string[] | undefined;
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    if (!json) return EXIT.usage; // commander already printed the message and the help hint
    [message, hint, code] = [err.message.replace(/^error: /, ''), help, EXIT.usage];
  } else if (err instanceof CliError) {
    [message, hint, code] = [err.message, err.hint, err.exitCode];
    if (err instanceof UsageErrors && err.problems.length > 1) problems = err.problems;
  } else if (err instanceof URIError) {
    // decodeURIComponent of something the user typed (a URL given outside the shared settings, e.g. demo --mysql)
    [message, hint, code] = ['a URL has a malformed %-escape in its user name, password or database name', `write % itself as %25; ${help}`, EXIT.usage];
  } else {
    const e = err as Error;
    message = e?.message ?? String(err);
    const debug = Boolean(process.env.SENTRY_ADMIN_DEBUG || readDotenv(process.cwd()).SENTRY_ADMIN_DEBUG);
    hint = debug ? undefined : 'this is unexpected; rerun with SENTRY_ADMIN_DEBUG=1 for details and report it';
    code = EXIT.runtime;
    if (debug) process.stderr.write(maskSecrets(String(e?.stack)) + '\n');
  }
  if (json) {
    const doc = { error: problems ? `${problems.length} problems` : message, ...(problems ? { problems } : {}), hint: hint ?? null, exit: code };
    // One document on stdout: when the command already printed its result there, the error is a JSON line on stderr.
    if (Output.resultWritten) process.stderr.write(maskSecrets(JSON.stringify(doc, jsonReplacer)) + '\n');
    else process.stdout.write(maskSecrets(JSON.stringify(doc, jsonReplacer, 2)) + '\n');
  } else {
    process.stderr.write(maskSecrets(`error: ${message}\n`));
    if (hint) process.stderr.write(maskSecrets(`  ${hint}\n`));
  }
  return code;
}

const VERSION = '0.2.0'; // keep equal to package.json (test/e2e/cli.test.ts checks)
