/**
 * What one event of a group says, as a function of (group, variant): its message, its tags and its
 * nodestore body (the event dict EventManager.save() leaves in Event.data for 7.7). A group has at most
 * MAX_VARIANTS bodies; each is pickled and compressed once and shared by the events that use it, which
 * keeps zlib off the per-event path.
 */
import { PyStr, PyTuple, type PyValue } from '../codec/py-value.js';
import { encodeGzippedDict } from '../codec/sentry-encodings.js';
import type { Group } from './seed-groups.js';
import { FRAMEWORK, MAX_VARIANTS } from './seed-groups.js';
import { mix, type Rng } from './seed-random.js';
import { pyDict } from './seed-tables.js';
import { BROWSERS, ENVIRONMENTS, LEVEL_NAMES, MODULES, OSES, SERVERS, URL_PATHS } from './seed-text.js';

export interface Tag {
  key: string;
  value: string;
  /** How the pair is pickled in the event's `tags` list: Sentry-made keys are `str`, client ones `unicode`. */
  py: PyTuple;
}

export class Variants {
  private readonly salt: number;
  private readonly tagCache = new Map<number, Tag[]>();
  private readonly messageCache = new Map<number, string>();
  private readonly bodyCache = new Map<number, string>();

  constructor(rng: Rng) {
    this.salt = rng.fork('variants').u32();
  }

  private h(g: Group, v: number, what: number): number {
    return mix(this.salt, g.id, v, what);
  }

  /** The event's message (sentry_message.message). */
  message(g: Group, v: number): string {
    const cell = g.id * MAX_VARIANTS + v;
    let m = this.messageCache.get(cell);
    if (m === undefined) {
      if (g.exception) m = g.exception.value ? `${g.exception.type}: ${g.exception.value}` : g.exception.type;
      else m = g.format.replace('%s', this.param(g, v)).replace('%%', '%');
      this.messageCache.set(cell, m);
    }
    return m;
  }

  private param(g: Group, v: number): string {
    if (g.format.includes('%s ms')) return String(800 + (this.h(g, v, 7) % 9000));
    if (g.format.includes(' on %s')) return SERVERS[this.h(g, v, 7) % SERVERS.length];
    return String(100000 + (this.h(g, v, 7) % 900000));
  }

  /** Tags in the order EventManager.save() builds them: client tags, level, logger, server, release, then plugins. */
  tags(g: Group, v: number): Tag[] {
    const cell = g.id * MAX_VARIANTS + v;
    let tags = this.tagCache.get(cell);
    if (tags) return tags;
    tags = [];
    const add = (key: string, value: string, strKey: boolean, strValue = false) =>
      tags!.push({ key, value, py: new PyTuple([strKey ? new PyStr(key) : key, strValue ? new PyStr(value) : value]) });
    if (g.project.platform !== 'php') add('environment', ENVIRONMENTS[this.h(g, v, 1) % ENVIRONMENTS.length], false);
    add('level', LEVEL_NAMES[g.level], true, true);
    if (g.logger) add('logger', g.logger, true);
    if (g.platform !== 'javascript') add('server_name', SERVERS[this.h(g, v, 2) % SERVERS.length], true);
    if (g.releases.length) add('sentry:release', g.releases[this.h(g, v, 3) % g.releases.length].version, true);
    if (g.web) {
      add('url', this.url(g, v), true);
      add('browser', BROWSERS[this.h(g, v, 5) % BROWSERS.length], true);
      add('os', OSES[this.h(g, v, 6) % OSES.length], true);
    }
    this.tagCache.set(cell, tags);
    return tags;
  }

  private url(g: Group, v: number): string {
    const host = g.platform === 'javascript' ? `app.${g.project.org.domain}` : `www.${g.project.org.domain}`;
    const path = URL_PATHS[mix(this.salt, g.id) % URL_PATHS.length].replace('%d', String(1000 + (this.h(g, v, 4) % 9000)));
    return `https://${host}${path}`;
  }

  /** The encoded nodestore_node.data of this variant. */
  body(g: Group, v: number): string {
    const cell = g.id * MAX_VARIANTS + v;
    let b = this.bodyCache.get(cell);
    if (b === undefined) {
      b = encodeGzippedDict(this.eventDict(g, v))!;
      this.bodyCache.set(cell, b);
    }
    return b;
  }

  /** The event dict as 7.7 stores it: what is left after save() popped the Event/Group columns. */
  eventDict(g: Group, v: number): Map<PyValue, PyValue> {
    const d = new Map<PyValue, PyValue>();
    const tags = this.tags(g, v);
    const user = g.project.endUsers[this.h(g, v, 8) % g.project.endUsers.length];
    d.set('project', g.project.id);
    if (g.exception) {
      d.set(new PyStr('sentry.interfaces.Exception'), pyDict({
        values: [{ type: g.exception.type, value: g.exception.value, module: g.exception.module, stacktrace: { frames: this.frames(g), frames_omitted: null } }],
        exc_omitted: null,
      }));
    } else {
      d.set(new PyStr('sentry.interfaces.Message'), pyDict({ message: g.format, params: [this.param(g, v)] }));
    }
    if (g.web) {
      const ua = userAgent(tags.find((t) => t.key === 'browser')!.value, tags.find((t) => t.key === 'os')!.value);
      d.set(new PyStr('sentry.interfaces.Http'), pyDict({
        url: tags.find((t) => t.key === 'url')!.value, method: v % 3 ? 'GET' : 'POST',
        headers: { 'User-Agent': ua, Referer: `https://www.${g.project.org.domain}/`, 'Accept-Language': 'fr-FR,fr;q=0.8,en;q=0.6' },
        env: g.platform === 'javascript' ? {} : { REMOTE_ADDR: user.ip, SERVER_NAME: tags.find((t) => t.key === 'server_name')?.value ?? null },
      }));
    }
    const u: Record<string, unknown> = { id: user.id, ip_address: user.ip };
    if (user.username) u.username = user.username;
    if (user.email) u.email = user.email;
    d.set(new PyStr('sentry.interfaces.User'), pyDict(u));
    d.set('tags', tags.map((t) => t.py));
    d.set('extra', this.extra(g, v));
    const modules = MODULES[g.platform];
    if (modules) d.set('modules', new Map(Object.entries(modules)));
    d.set(new PyStr('version'), new PyStr('5'));
    return d;
  }

  private extra(g: Group, v: number): Map<PyValue, PyValue> {
    const extra = new Map<PyValue, PyValue>();
    if (g.platform === 'python') {
      extra.set('sys.argv', g.web ? ['uwsgi'] : ['celery', 'worker', '-Q', 'default']);
      extra.set('thread', 139800000000000 + (this.h(g, v, 9) % 100000));
    }
    if (g.platform === 'javascript') extra.set('session:duration', this.h(g, v, 10) % 600000);
    extra.set('request_id', (this.h(g, v, 11) >>> 0).toString(16).padStart(8, '0'));
    if (v % 4 === 1) extra.set('note', 'Réessayé automatiquement — 再試行');
    return extra;
  }

  private frames(g: Group): Record<string, unknown>[] {
    const js = g.platform === 'javascript' || g.platform === 'node';
    return g.exception!.frames.map(([where, fn, line], i, all) => {
      const file = js || where.includes('/') ? where : where.replace(/\./g, '/') + (g.platform === 'java' ? '.java' : '.py');
      const frame: Record<string, unknown> = {
        filename: file, function: fn, lineno: line, in_app: !FRAMEWORK.test(where),
        context_line: `    result = ${fn === '?' ? 'init' : fn.split('.').pop()}(request, *args)`,
      };
      if (js) frame.abs_path = `https://app.${g.project.org.domain}/static/${file}`;
      else if (!where.includes('/')) frame.module = where;
      if (js) frame.colno = 8 + (line % 30);
      if (i === all.length - 1 && !js) frame.vars = { request: '<WSGIRequest: GET>', args: '()', kwargs: '{}' };
      return frame;
    });
  }
}

function userAgent(browser: string, os: string): string {
  const cut = browser.lastIndexOf(' ');
  const name = browser.slice(0, cut).replace(' ', '');
  const version = browser.slice(cut + 1);
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) ${name}/${version} Safari/537.36`;
}
