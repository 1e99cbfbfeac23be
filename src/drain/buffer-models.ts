/**
 * The six models Sentry 7.7 buffers (docs/sentry7-buffer.md §1; every `buffer.incr` call of the 7.7.0 tree),
 * with what a hash of each may hold. Anything outside these lists is re-buffered untouched and reported,
 * never guessed. Column defaults are the 7.7.0 model field defaults (src/sentry/models/*.py).
 */
import type { BufferTable } from '../db/buffer-sql.js';

export type ModelName = 'Group' | 'Release' | 'TagValue' | 'GroupTagValue' | 'TagKey' | 'GroupTagKey';

export interface BufferModel {
  name: ModelName;
  /** The `m` field: `model.__module__ + '.' + model.__name__`. */
  path: string;
  /** `model._meta` as it appears in the key: `b:k:<meta>:<md5>`. */
  meta: string;
  table: BufferTable;
  /** Filter names, exactly (7.5+ form: ids, never model instances). */
  filters: readonly string[];
  /** `i+<col>` counters and their field default (what `F(col) + n` resolves to on a blank instance). */
  counters: Readonly<Record<string, number>>;
  /** `e+<col>` extras. */
  extras: readonly string[];
  /** Attribute → column where they differ (Group.culprit is db_column 'view'). */
  columns?: Readonly<Record<string, string>>;
}

export const BUFFER_MODELS: readonly BufferModel[] = [
  {
    name: 'Group', path: 'sentry.models.group.Group', meta: 'sentry.group', table: 'sentry_groupedmessage',
    filters: ['id'],
    counters: { times_seen: 1, time_spent_total: 0, time_spent_count: 0 },
    extras: ['last_seen', 'score', 'message', 'level', 'culprit'],
    columns: { culprit: 'view' },
  },
  {
    name: 'Release', path: 'sentry.models.release.Release', meta: 'sentry.release', table: 'sentry_release',
    filters: ['id'], counters: { new_groups: 0 }, extras: [],
  },
  {
    name: 'TagValue', path: 'sentry.models.tagvalue.TagValue', meta: 'sentry.tagvalue', table: 'sentry_filtervalue',
    filters: ['project_id', 'key', 'value'], counters: { times_seen: 0 }, extras: ['last_seen', 'data'],
  },
  {
    name: 'GroupTagValue', path: 'sentry.models.grouptagvalue.GroupTagValue', meta: 'sentry.grouptagvalue',
    table: 'sentry_messagefiltervalue',
    filters: ['group_id', 'project_id', 'key', 'value'], counters: { times_seen: 0 }, extras: ['last_seen'],
  },
  {
    name: 'TagKey', path: 'sentry.models.tagkey.TagKey', meta: 'sentry.tagkey', table: 'sentry_filterkey',
    filters: ['project_id', 'key'], counters: { values_seen: 0 }, extras: [],
  },
  {
    name: 'GroupTagKey', path: 'sentry.models.grouptagkey.GroupTagKey', meta: 'sentry.grouptagkey', table: 'sentry_grouptagkey',
    filters: ['project_id', 'group_id', 'key'], counters: { values_seen: 0 }, extras: [],
  },
];

export const MODEL_BY_PATH: ReadonlyMap<string, BufferModel> = new Map(BUFFER_MODELS.map((m) => [m.path, m]));
export const MODEL_BY_NAME: Readonly<Record<ModelName, BufferModel>> = Object.fromEntries(
  BUFFER_MODELS.map((m) => [m.name, m]),
) as Record<ModelName, BufferModel>;

export function columnOf(model: BufferModel, attr: string): string {
  return model.columns?.[attr] ?? attr;
}
