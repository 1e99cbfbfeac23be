import { SETTINGS, type SettingKey, type Source } from '../config/settings.js';

/** What a hint needs of the resolved settings (src/config/settings.ts `Settings` fits). */
export interface HintSettings {
  from?: { masked: string; password?: string };
  to?: { masked: string; password?: string };
  db?: { masked: string; password?: string };
  redis?: { masked: string; password?: string };
  namespace?: string;
  sources?: Partial<Record<SettingKey, Source>>;
}

/** The shared settings each command takes, in the order a hint names them. */
const TAKES: Record<string, SettingKey[]> = {
  migrate: ['from', 'to', 'redis', 'namespace'],
  export: ['from', 'redis', 'namespace'],
  import: ['to', 'redis', 'namespace'],
  status: ['redis', 'namespace'],
  discard: ['redis', 'namespace'],
  verify: ['from', 'to'],
  sync: ['from', 'to', 'redis', 'namespace'],
  doctor: ['db', 'from', 'to', 'redis'],
};
const DB_COMMANDS = ['init-schema', 'seed', 'approve-requests', 'reset-global-access', 'repair-orphaned-teams', 'undo', 'drain-buffer'];

/**
 * A command line the user can paste: `sentry-admin <cmd>` with the settings this run actually used
 * (`--redis …/9 --namespace nc6`), so the next command talks to the same Redis database and run.
 * A setting left at its default is left out; one that came from the environment or .env is named
 * too, unless it holds a password (pasted in the same shell it is found again, and it stays unprinted).
 * A password given as a flag shows masked: the user puts it back. Library code without the settings'
 * `sources` passes the values it has, e.g. `commandHint('discard', { redis: o.redis, namespace: o.namespace })`.
 * `rest` is appended as is (e.g. `['--to', 'URL']` or `['journal.json', '--apply']`).
 */
export function commandHint(cmd: string, s: HintSettings, rest: string[] = []): string {
  const keys = TAKES[cmd] ?? (DB_COMMANDS.includes(cmd) ? ['db'] : []);
  const args: string[] = [];
  for (const key of keys) {
    // Without `sources` (library code that holds only the values), every value given is named.
    const source = s.sources ? s.sources[key] : 'flag';
    if (!source || source === 'default') continue;
    const v = key === 'namespace' ? s.namespace : (s[key as 'from' | 'to' | 'db' | 'redis'] as { masked: string; password?: string } | undefined);
    if (v === undefined) continue;
    if (typeof v !== 'string' && v.password && source !== 'flag') continue;
    if (rest.includes(SETTINGS[key].flag)) continue;
    args.push(SETTINGS[key].flag, shellWord(typeof v === 'string' ? v : v.masked));
  }
  return ['sentry-admin', cmd, ...args, ...rest].join(' ');
}

/** `sentry-admin <cmd> --help`, for the hint of a usage error. */
export function helpHint(cmd: string | undefined): string {
  return `see \`sentry-admin${cmd ? ` ${cmd}` : ''} --help\``;
}

/** Quote a word for a POSIX shell when it needs it. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
