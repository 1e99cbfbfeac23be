/**
 * The examples at the end of each `--help`: real command lines a user can adapt, two or three per
 * command (main.ts appends them). Redis staging always on a database index of its own (9).
 */
export const EXAMPLES: Record<string, string[]> = {
  '': [
    'sentry-admin doctor --from mysql://sentry:PASS@db1:3306/sentry --to postgres://sentry:PASS@db2:5432/sentry',
    'sentry-admin migrate --from mysql://sentry:PASS@db1:3306/sentry --to postgres://sentry:PASS@db2:5432/sentry --redis redis://127.0.0.1:6379/9',
    'sentry-admin approve-requests --db postgres://sentry:PASS@db2:5432/sentry --json',
  ],
  demo: [
    'sentry-admin demo',
    'sentry-admin demo --events 200000 --redis redis://127.0.0.1:6379/9',
  ],
  doctor: [
    'sentry-admin doctor --db mysql://sentry:PASS@127.0.0.1:3306/sentry',
    'sentry-admin doctor --from mysql://sentry:PASS@db1:3306/sentry --to postgres://sentry:PASS@db2:5432/sentry --redis redis://127.0.0.1:6379/9',
    'SENTRY_ADMIN_DB=postgres://sentry:PASS@db2:5432/sentry sentry-admin doctor --json',
  ],
  'init-schema': [
    'sentry-admin init-schema --db postgres://postgres@127.0.0.1:5432/sentry_new --create-database',
    'sentry-admin init-schema --db mysql://root@127.0.0.1:3306/sentry_new --big-ints',
  ],
  seed: [
    'sentry-admin seed --db mysql://root@127.0.0.1:3306/sentry_demo',
    'sentry-admin seed --db postgres://postgres@127.0.0.1:5432/sentry_demo --events 100000 --seed 7',
  ],
  migrate: [
    'sentry-admin migrate --from mysql://sentry:PASS@db1:3306/sentry --to postgres://sentry:PASS@db2:5432/sentry --redis redis://127.0.0.1:6379/9',
    'sentry-admin migrate --from mysql://… --to postgres://… --org acme --since 2015-01-01 --namespace acme-2015',
    'sentry-admin migrate --from mysql://… --to postgres://… --namespace acme-2015   (the same command again resumes an interrupted run)',
  ],
  export: [
    'sentry-admin export --from mysql://sentry:PASS@db1:3306/sentry --redis redis://10.0.0.5:6379/9 --namespace nc6',
    'sentry-admin export --from mysql://… --no-events --max-staged-mb 1024',
  ],
  import: [
    'sentry-admin import --to postgres://sentry:PASS@db2:5432/sentry --redis redis://10.0.0.5:6379/9 --namespace nc6',
    'sentry-admin import --to postgres://… --namespace nc6 --jobs 6 --importer-id loader-2   (a second importer)',
  ],
  status: [
    'sentry-admin status --redis redis://10.0.0.5:6379/9 --namespace nc6',
    'sentry-admin status --namespace nc6 --json',
  ],
  discard: [
    'sentry-admin discard --redis redis://10.0.0.5:6379/9 --namespace nc6',
  ],
  verify: [
    'sentry-admin verify --from mysql://sentry:PASS@db1:3306/sentry --to postgres://sentry:PASS@db2:5432/sentry',
    'sentry-admin verify --from mysql://… --to postgres://… --org acme --show 50',
    'sentry-admin verify --from mysql://… --to postgres://… --json > verify.json',
  ],
  'approve-requests': [
    'sentry-admin approve-requests --db postgres://sentry:PASS@db:5432/sentry --dry-run',
    '*/5 * * * * sentry-admin approve-requests --db postgres://sentry:PASS@db:5432/sentry --org acme --journal-dir /var/lib/sentry-admin/journals',
  ],
  'reset-global-access': [
    'sentry-admin reset-global-access --db postgres://sentry:PASS@db:5432/sentry --users leavers.csv',
    'sentry-admin reset-global-access --db postgres://… --user alice@example.com --org acme --provider-default --apply',
  ],
  'repair-orphaned-teams': [
    'sentry-admin repair-orphaned-teams --db mysql://sentry:PASS@db:3306/sentry',
    'sentry-admin repair-orphaned-teams --db mysql://… --into-org acme --apply',
    'sentry-admin repair-orphaned-teams --db mysql://… --new-org old-startup --owner admin@example.com --apply',
  ],
  undo: [
    'sentry-admin undo journals/reset-global-access-2026-12-07T10-15-00-000Z-4242.json --db postgres://sentry:PASS@db:5432/sentry',
    'sentry-admin undo journals/reset-global-access-2026-12-07T10-15-00-000Z-4242.json --db postgres://… --apply',
  ],
  'drain-buffer': [
    'sentry-admin drain-buffer --db postgres://sentry:PASS@db:5432/sentry --sentry-redis redis://10.0.0.7:6379/0',
    'sentry-admin drain-buffer --db postgres://… --sentry-redis redis://10.0.0.7:6379/0 redis://10.0.0.8:6379/0 --apply',
    'sentry-admin drain-buffer --db postgres://… --sentry-redis redis://10.0.0.7:6379/0 --replay journals/drain-buffer-2026-12-07T10-15-00-000Z-4242.jsonl --apply',
  ],
};
