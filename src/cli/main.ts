import { Command, CommanderError } from 'commander';
import { CliError, EXIT, UsageErrors } from '../errors.js';
import { maskSecrets } from '../db/url.js';
import { setRuntime } from './context.js';
import { COMMANDS } from './commands/index.js';

/**
 * Build the program and run it. This is the only place that decides the process exit code:
 * handlers return a code or throw a CliError; anything else is a runtime failure (exit 1)
 * reported in one line, never a stack trace (set SENTRY_ADMIN_DEBUG=1 for one).
 */
export async function main(argv: string[]): Promise<number> {
  const abort = new AbortController();
  let exitCode: number = EXIT.ok;
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${sig}: finishing the current batch and stopping (again to force)\n`);
      abort.abort(new Error(sig));
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  setRuntime({ signal: abort.signal, setExitCode: (c) => (exitCode = c) });

  const program = new Command('sentry-admin')
    .description('Migration and repair toolkit for self-hosted Sentry 7.x on MySQL and PostgreSQL')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  program.commands.forEach((c) => c.exitOverride().showHelpAfterError('(add --help for usage)'));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    exitCode = report(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed the message
  }
  if (err instanceof CliError) {
    const label = err instanceof UsageErrors && err.problems.length > 1 ? 'error' : 'error';
    process.stderr.write(maskSecrets(`${label}: ${err.message}\n`));
    if (err.hint) process.stderr.write(maskSecrets(`  ${err.hint}\n`));
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(maskSecrets(`error: ${e?.message ?? String(err)}\n`));
  if (process.env.SENTRY_ADMIN_DEBUG) process.stderr.write(maskSecrets(String(e?.stack)) + '\n');
  else process.stderr.write('  this is unexpected; rerun with SENTRY_ADMIN_DEBUG=1 for details and report it\n');
  return EXIT.runtime;
}

const VERSION = '0.1.0';
