/**
 * What one event of a group says, as a function of (group, variant): its message, its tags and its
 * nodestore body (the event dict EventManager.save() leaves in Event.data in 7.7).
 *
 * Bodies are the hot spot of a big seed, so each group's event dict is pickled once, with a placeholder
 * in every string that varies (user, tags, URL…); a variant's body is that pickle with its own strings
 * spliced in (protocol-0 unicode text, so the pickle stays byte-for-byte what the codec would write for
 * the full dict), compressed once and shared by all events of the variant.
 */
import { encodeRawUnicodeEscape } from '../codec/py-text.js';
import { pickle } from '../codec/pickle-write.js';
import { PyStr, PyTuple, type PyValue } from '../codec/py-value.js';
import { zlibCompress } from '../codec/zlib-small.js';
import type { Group } from './seed-groups.js';
import { FRAMEWORK, MAX_VARIANTS } from './seed-groups.js';
import { mix, type Rng } from './seed-random.js';
import { pyDict } from './seed-tables.js';
import { BROWSERS, ENVIRONMENTS, LEVEL_NAMES, MODULES, OSES, SERVERS, URL_PATHS } from './seed-text.js';

export interface Tag {
  key: string;
  value: string;
}

/** The strings that differ between the events of one group. Each is at least 2 characters. */
export interface VariantText {
  environment: string;
  server: string;
  release: string;
  url: string;
  browser: string;
  os: string;
  userAgent: string;
  method: string;
  param: string;
  userId: string;
  userName: string;
  userEmail: string;
  userIp: string;
  requestId: string;
}

const FIELDS: (keyof VariantText)[] = [
  'environment', 'server', 'release', 'url', 'browser', 'os', 'userAgent', 'method', 'param', 'userId', 'userName', 'userEmail',
  'userIp', 'requestId',
];

interface Template {
  /** Pickle bytes between the placeholders. */
  parts: Buffer[];
  /** Which field fills the gap after parts[i]. */
  fields: (keyof VariantText)[];
}

export class Variants {
  private readonly salt: number;
  private readonly textCache = new Map<number, VariantText>();
  private readonly bodyCache = new Map<number, string>();
  private readonly templates = new Map<Group, Template>();

  constructor(rng: Rng) {
    this.salt = rng.fork('variants').u32();
  }

  private h(g: Group, v: number, what: number): number {
    return mix(this.salt, g.id, v, what);
  }

  text(g: Group, v: number): VariantText {
    const cell = g.id * MAX_VARIANTS + v;
    let t = this.textCache.get(cell);
    if (t) return t;
    const p = g.project;
    const user = p.endUsers[this.h(g, v, 8) % p.endUsers.length];
    const browser = BROWSERS[this.h(g, v, 5) % BROWSERS.length];
    const os = OSES[this.h(g, v, 6) % OSES.length];
    const host = g.platform === 'javascript' ? `app.${p.org.domain}` : `www.${p.org.domain}`;
    const path = URL_PATHS[mix(this.salt, g.id) % URL_PATHS.length].replace('%d', String(1000 + (this.h(g, v, 4) % 9000)));
    t = {
      environment: ENVIRONMENTS[this.h(g, v, 1) % ENVIRONMENTS.length],
      server: SERVERS[this.h(g, v, 2) % SERVERS.length],
      release: g.releases.length ? g.releases[this.h(g, v, 3) % g.releases.length].version : '',
      url: `https://${host}${path}`, browser, os, userAgent: userAgent(browser, os), method: v % 3 ? 'GET' : 'POST',
      param: g.format.includes('%s ms') ? String(800 + (this.h(g, v, 7) % 9000))
        : g.format.includes(' on %s') ? SERVERS[this.h(g, v, 7) % SERVERS.length] : String(100000 + (this.h(g, v, 7) % 900000)),
      userId: user.id, userName: user.username ?? `customer${user.id}`, userEmail: user.email ?? `customer${user.id}@mail.example`,
      userIp: user.ip, requestId: this.h(g, v, 11).toString(16).padStart(8, '0'),
    };
    this.textCache.set(cell, t);
    return t;
  }

  /** The event's message (sentry_message.message). */
  message(g: Group, v: number): string {
    if (g.exception) return g.exception.value ? `${g.exception.type}: ${g.exception.value}` : g.exception.type;
    return g.format.replace('%s', this.text(g, v).param).replace('%%', '%');
  }

  /** Tags in the order EventManager.save() builds them: client tags, level, logger, server, release, then plugins. */
  tags(g: Group, v: number): Tag[] {
    return tagList(g, this.text(g, v)).map(([key, value]) => ({ key, value }));
  }

  /** The encoded nodestore_node.data of this variant. */
  body(g: Group, v: number): string {
    const cell = g.id * MAX_VARIANTS + v;
    let b = this.bodyCache.get(cell);
    if (b === undefined) {
      b = zlibCompress(this.pickled(g, v)).toString('base64');
      this.bodyCache.set(cell, b);
    }
    return b;
  }

  /** The pickled event dict of a variant, spliced from its group's template. */
  pickled(g: Group, v: number): Buffer {
    let t = this.templates.get(g);
    if (!t) this.templates.set(g, (t = this.template(g)));
    const text = this.text(g, v);
    const chunks: Buffer[] = [t.parts[0]];
    t.fields.forEach((f, i) => chunks.push(this.unicodeText(text[f]), t!.parts[i + 1]));
    return Buffer.concat(chunks);
  }

  private readonly escaped = new Map<string, Buffer>();

  /** A string as protocol 0 writes unicode (most values repeat: browsers, servers, users). */
  private unicodeText(s: string): Buffer {
    let b = this.escaped.get(s);
    if (!b) {
      if (s.length < 2) throw new Error(`variant text "${s}" is too short to splice into a pickle`);
      this.escaped.set(s, (b = encodeRawUnicodeEscape(s)));
    }
    return b;
  }

  private template(g: Group): Template {
    const marks = Object.fromEntries(FIELDS.map((f, i) => [f, `\x01${i}\x02`])) as unknown as VariantText;
    const raw = pickle(eventDict(g, marks), 0);
    const parts: Buffer[] = [];
    const fields: (keyof VariantText)[] = [];
    let from = 0;
    for (let at = raw.indexOf(1, from); at >= 0; at = raw.indexOf(1, from)) {
      const end = raw.indexOf(2, at);
      parts.push(raw.subarray(from, at));
      fields.push(FIELDS[Number(raw.subarray(at + 1, end).toString('latin1'))]);
      from = end + 1;
    }
    parts.push(raw.subarray(from));
    return { parts, fields };
  }
}

function tagList(g: Group, t: VariantText): [string, string, boolean, boolean][] {
  // [key, value, key is str, value is str]
  const tags: [string, string, boolean, boolean][] = [];
  if (g.project.platform !== 'php') tags.push(['environment', t.environment, false, false]);
  tags.push(['level', LEVEL_NAMES[g.level], true, true]);
  if (g.logger) tags.push(['logger', g.logger, true, false]);
  if (g.platform !== 'javascript') tags.push(['server_name', t.server, true, false]);
  if (g.releases.length) tags.push(['sentry:release', t.release, true, false]);
  if (g.web) tags.push(['url', t.url, true, false], ['browser', t.browser, true, false], ['os', t.os, true, false]);
  return tags;
}

/** The event dict as 7.7 stores it: what is left after save() popped the Event/Group columns. */
export function eventDict(g: Group, t: VariantText): Map<PyValue, PyValue> {
  const d = new Map<PyValue, PyValue>();
  const domain = g.project.org.domain;
  d.set('project', g.project.id);
  if (g.exception) {
    d.set(new PyStr('sentry.interfaces.Exception'), pyDict({
      values: [{ type: g.exception.type, value: g.exception.value, module: g.exception.module, stacktrace: { frames: frames(g), frames_omitted: null } }],
      exc_omitted: null,
    }));
  } else {
    d.set(new PyStr('sentry.interfaces.Message'), pyDict({ message: g.format, params: [t.param] }));
  }
  if (g.web) {
    d.set(new PyStr('sentry.interfaces.Http'), pyDict({
      url: t.url, method: t.method, headers: { 'User-Agent': t.userAgent, Referer: `https://www.${domain}/` },
      env: g.platform === 'javascript' ? {} : { REMOTE_ADDR: t.userIp, SERVER_NAME: t.server },
    }));
  }
  d.set(new PyStr('sentry.interfaces.User'), pyDict({ id: t.userId, username: t.userName, email: t.userEmail, ip_address: t.userIp }));
  d.set('tags', tagList(g, t).map(([k, v, strKey, strValue]) => new PyTuple([strKey ? new PyStr(k) : k, strValue ? new PyStr(v) : v])));
  const extra = new Map<PyValue, PyValue>([['request_id', t.requestId]]);
  if (g.platform === 'python') extra.set('sys.argv', g.web ? ['uwsgi'] : ['celery', 'worker', '-Q', 'default']);
  if (g.id % 5 === 0) extra.set('note', 'Réessayé automatiquement — 再試行');
  d.set('extra', extra);
  const modules = MODULES[g.platform];
  if (modules && g.id % 2 === 0) d.set('modules', new Map(Object.entries(modules)));
  d.set(new PyStr('version'), new PyStr('5'));
  return d;
}

function frames(g: Group): Record<string, unknown>[] {
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
    if (i === all.length - 1 && !js) frame.vars = { request: '<WSGIRequest: GET>', args: '()' };
    return frame;
  });
}

function userAgent(browser: string, os: string): string {
  const cut = browser.lastIndexOf(' ');
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) ${browser.slice(0, cut).replace(' ', '')}/${browser.slice(cut + 1)}`;
}
