import type { Command } from 'commander';
import { type ResolveOptions, type Settings, resolveSettings } from '../config/settings.js';
import { Output } from '../ui/output.js';

/** What every command handler receives. */
export interface CommandContext {
  out: Output;
  /** Aborted on the first Ctrl-C / SIGTERM: finish or roll back the current batch, then return. */
  signal: AbortSignal;
  /** Resolve the shared settings (flag > env > .env > default), validating all at once. */
  settings(opts?: ResolveOptions): Settings;
}

/** A handler returns its exit code (0 when it returns nothing) or throws a CliError. */
export type Handler<O> = (opts: O, ctx: CommandContext, args: string[]) => Promise<number | void>;

export interface Runtime {
  signal: AbortSignal;
  setExitCode(code: number): void;
}

let runtime: Runtime | undefined;
export function setRuntime(r: Runtime): void {
  runtime = r;
}

/** Wrap a handler as a commander action. Exit codes flow back to main.ts, the only place that sets them. */
export function action<O>(handler: Handler<O>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.opts() as O & { json?: boolean };
    const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const out = new Output(Boolean(opts.json));
    const ctx: CommandContext = {
      out,
      signal: runtime!.signal,
      settings: (o) => {
        const s = resolveSettings(opts as Record<string, unknown>, { command: cmd.name(), ...o });
        for (const w of s.warnings) out.warn(w);
        return s;
      },
    };
    const code = await handler(opts, ctx, positional);
    runtime!.setExitCode(code ?? 0);
  };
}

// Shared option declarations (no commander defaults: precedence is resolved in src/config).
export const dbOption = (c: Command) => c.option('--db <url>', 'Sentry database, mysql://… or postgres://… [env SENTRY_ADMIN_DB]');
export const fromOption = (c: Command) => c.option('--from <url>', 'source Sentry database [env SENTRY_ADMIN_FROM]');
export const toOption = (c: Command) => c.option('--to <url>', 'target Sentry database [env SENTRY_ADMIN_TO]');
export const redisOption = (c: Command) =>
  c.option('--redis <url>', 'staging Redis, redis://host:port/index [env SENTRY_ADMIN_REDIS] (default: redis://127.0.0.1:6379/9)');
export const namespaceOption = (c: Command) =>
  c.option('--namespace <name>', 'key prefix of one migration run [env SENTRY_ADMIN_NAMESPACE] (default: sentry-admin)');
export const jsonOption = (c: Command) => c.option('--json', 'print one JSON document on stdout, also on failure ({"error", "hint", "exit"}); progress and logs as JSON lines on stderr');
export const actorOption = (c: Command) =>
  c.option('--actor <user>', 'the Sentry user (id, username or e-mail) the audit entries name as the actor, as Sentry\'s UI would [env SENTRY_ADMIN_ACTOR]');
