/**
 * Errors that carry an exit code. Library code throws these; src/cli/main.ts is the
 * only place that turns them into a process exit code (see docs/cli.md).
 */
export const EXIT = {
  ok: 0,
  runtime: 1,
  usage: 2,
  differences: 3,
  rejected: 4,
  locked: 75,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** What the user should do next; printed on its own line. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, bad input, or a target we refuse to touch. Nothing was written. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** Several usage problems found at once (config validation reports them together). */
export class UsageErrors extends UsageError {
  constructor(readonly problems: string[], hint?: string) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`, hint);
  }
}

/** Connection lost, server error, anything that went wrong at run time. */
export class RuntimeFailure extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.runtime, hint);
  }
}

/** Another run holds the lock; cron may simply try again. */
export class LockedError extends CliError {
  constructor(message: string) {
    super(message, EXIT.locked);
  }
}
