/**
 * The words the seed writes: people, organizations, and what their applications report. Kept within
 * the Basic Multilingual Plane: Sentry's MySQL columns are utf8 (3 bytes), which refuses 4-byte characters,
 * and the same `--seed` must give the same data on both engines.
 */

/** [first name, last name, email local part]. Names up to 30 characters (auth_user). */
export const PEOPLE: readonly (readonly [string, string, string])[] = [
  ['Alice', 'Martin', 'alice'],
  ['Bob', 'Nguyen', 'bob'],
  ['Carol', 'Smith', 'carol'],
  ['José', 'Müller', 'jose.muller'],
  ['Zoë', 'Ångström', 'zoë'],
  ['Łukasz', 'Wiśniewski', 'lukasz'],
  ['Søren', 'Kierkegård', 'soren'],
  ['François', 'Lefèvre', 'françois.lefevre'],
  ['Inés', 'Núñez', 'ines'],
  ['太郎', '山田', 'taro.yamada'],
  ['小龍', '李', 'xiaolong.li'],
  ['Đức', 'Trần', 'duc'],
  ['Dana', 'Okafor', 'dana'],
  ['Erik', 'Johansson', 'erik'],
  ['Fatima', 'Haddad', 'fatima'],
  ['Grace', 'Hopper', 'grace'],
  ['Hiroshi', 'Tanaka', 'hiroshi'],
  ['Ivan', 'Petrov', 'ivan'],
  ['Julia', 'Rossi', 'julia'],
  ['Kwame', 'Mensah', 'kwame'],
  ['Lena', 'Fischer', 'lena'],
  ['Mateo', 'García', 'mateo'],
  ['Nadia', 'Kowalski', 'nadia'],
  ['Oscar', 'Lindqvist', 'oscar'],
  ['Priya', 'Raman', 'priya'],
  ['Quentin', 'Dubois', 'quentin'],
  ['Rosa', 'Ferreira', 'rosa'],
  ['Sam', 'Taylor', 'sam'],
  ['美咲', '佐藤', 'misaki'],
  ['Tomás', 'Ó Briain', 'tomas'],
  ['Uma', 'Iyer', 'uma'],
  ['Victor', 'Hugo', 'victor'],
  ['Wen', '王', 'wen.wang'],
  ['Yusuf', 'Demir', 'yusuf'],
  ['Zofia', 'Nowak', 'zofia'],
  ['Ærin', 'Ødegård', 'aerin'],
];

export const PLATFORMS = ['python', 'django', 'javascript', 'node.js', 'ruby', 'php', 'java'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The language a platform's events report as `platform`. */
export function eventPlatform(p: Platform): string {
  if (p === 'django') return 'python';
  if (p === 'node.js') return 'node';
  return p;
}

export interface ExceptionTemplate {
  type: string;
  value: string;
  module: string | null;
  /** Frames, outermost first: [module or file, function, line]. */
  frames: [string, string, number][];
}

export const EXCEPTIONS: Record<string, readonly ExceptionTemplate[]> = {
  python: [
    { type: 'ValueError', value: "invalid literal for int() with base 10: 'abc'", module: 'exceptions',
      frames: [['django.core.handlers.base', 'get_response', 112], ['app.views.orders', 'order_detail', 48], ['app.models.order', 'parse_id', 17]] },
    { type: 'KeyError', value: "'customer_id'", module: 'exceptions',
      frames: [['celery.app.trace', 'trace_task', 240], ['app.tasks.billing', 'charge_customer', 77]] },
    { type: 'IntegrityError', value: 'duplicate key value violates unique constraint "orders_order_reference_key"', module: 'django.db.utils',
      frames: [['django.db.models.base', 'save', 545], ['app.services.checkout', 'place_order', 133], ['django.db.backends.util', 'execute', 53]] },
    { type: 'TimeoutError', value: 'Timed out waiting for the payment gateway after 30 seconds', module: 'app.gateway',
      frames: [['app.services.payments', 'authorize', 88], ['app.gateway.client', 'post', 201]] },
    { type: 'UnicodeDecodeError', value: "'ascii' codec can't decode byte 0xc3 in position 4: ordinal not in range(128)", module: 'exceptions',
      frames: [['app.importers.csv', 'read_rows', 61], ['app.importers.csv', 'decode_cell', 19]] },
    { type: 'AttributeError', value: "'NoneType' object has no attribute 'email'", module: 'exceptions',
      frames: [['app.views.accounts', 'profile', 33], ['app.mail', 'send_welcome', 12]] },
  ],
  javascript: [
    { type: 'TypeError', value: "Cannot read property 'id' of undefined", module: null,
      frames: [['app/components/cart.js', 'render', 112], ['app/store/cart.js', 'selectItem', 41]] },
    { type: 'ReferenceError', value: 'jQuery is not defined', module: null,
      frames: [['app/vendor/plugins.js', '?', 1]] },
    { type: 'Error', value: 'Request failed with status 502', module: null,
      frames: [['app/api/client.js', 'handleResponse', 77], ['app/api/client.js', 'request', 30]] },
    { type: 'SyntaxError', value: 'Unexpected token < in JSON at position 0', module: null,
      frames: [['app/api/client.js', 'parseBody', 58]] },
    { type: 'RangeError', value: 'Maximum call stack size exceeded', module: null,
      frames: [['app/utils/tree.js', 'walk', 14], ['app/utils/tree.js', 'walk', 16]] },
  ],
  node: [
    { type: 'Error', value: 'connect ECONNREFUSED 10.0.3.17:6379', module: null,
      frames: [['net.js', 'TCPConnectWrap.afterConnect', 1141], ['lib/cache.js', 'connect', 22]] },
    { type: 'TypeError', value: "Cannot read property 'length' of null", module: null,
      frames: [['lib/routes/search.js', 'handler', 45], ['lib/search/query.js', 'tokenize', 9]] },
  ],
  ruby: [
    { type: 'NoMethodError', value: "undefined method `name' for nil:NilClass", module: null,
      frames: [['app/controllers/orders_controller.rb', 'show', 21], ['app/views/orders/show.html.erb', '_app_views_orders_show', 7]] },
    { type: 'ActiveRecord::RecordNotFound', value: "Couldn't find User with 'id'=4211", module: null,
      frames: [['app/controllers/users_controller.rb', 'set_user', 64]] },
  ],
  php: [
    { type: 'ErrorException', value: 'Undefined index: quantity', module: null,
      frames: [['src/Cart/LineItem.php', 'LineItem::fromArray', 38], ['src/Controller/CartController.php', 'CartController::add', 91]] },
    { type: 'PDOException', value: 'SQLSTATE[HY000] [2002] Connection refused', module: null,
      frames: [['src/Db/Connection.php', 'Connection::open', 27]] },
  ],
  java: [
    { type: 'NullPointerException', value: '', module: 'java.lang',
      frames: [['com.acme.billing.InvoiceService', 'render', 214], ['com.acme.billing.PdfWriter', 'writeHeader', 58]] },
    { type: 'IllegalStateException', value: 'Connection pool shut down', module: 'java.lang',
      frames: [['org.apache.http.impl.conn.PoolingHttpClientConnectionManager', 'requestConnection', 262], ['com.acme.sync.Uploader', 'send', 77]] },
  ],
};

/** Log messages with `%s` parameters, as `logging.error('...', arg)` reports them. */
export const LOG_MESSAGES: readonly (readonly [string, string, number])[] = [
  // [message, logger, level]
  ['Failed to send order confirmation to %s', 'app.mail', 40],
  ['Payment declined for order %s', 'app.payments', 30],
  ['Slow query on /api/orders took %s ms', 'django.db.backends', 30],
  ['Cache miss storm for key %s', 'app.cache', 20],
  ['Retrying webhook delivery to %s', 'app.webhooks', 30],
  ['Import of %s finished with errors', 'app.importers', 40],
  ['Disk usage above 90%% on %s', 'ops.monitor', 50],
  ['Commande %s introuvable dans l’entrepôt', 'app.entrepot', 30],
  ['注文 %s の在庫が不足しています', 'app.inventory', 30],
  ['Użytkownik %s przekroczył limit żądań', 'app.ratelimit', 20],
];

export const LEVEL_NAMES: Record<number, string> = { 10: 'debug', 20: 'info', 30: 'warning', 40: 'error', 50: 'fatal' };

export const BROWSERS = ['Chrome 44.0', 'Chrome 45.0', 'Firefox 40.0', 'Safari 8.0', 'IE 11.0', 'Opera 31.0', 'Mobile Safari 8.0'];
export const OSES = ['Windows 7', 'Windows 8.1', 'Mac OS X 10.10', 'Ubuntu 14.04', 'iOS 8.4', 'Android 5.1'];
export const SERVERS = ['web-1.prod', 'web-2.prod', 'web-3.prod', 'worker-1.prod', 'worker-2.prod', 'web-1.staging'];
export const ENVIRONMENTS = ['production', 'production', 'production', 'staging'];
export const URL_PATHS = ['/checkout/', '/orders/%d/', '/api/0/orders/', '/account/settings/', '/search/?q=caf%C3%A9', '/カート/', '/'];

export const MODULES: Record<string, Record<string, string>> = {
  python: { django: '1.6.11', celery: '3.1.18', requests: '2.7.0', psycopg2: '2.6.1', raven: '5.5.0' },
  ruby: { rails: '4.2.3', 'sentry-raven': '0.14.0' },
  php: { 'raven/raven': '0.12.0', 'symfony/symfony': '2.7.3' },
  java: { 'com.getsentry.raven:raven': '6.0.0' },
  node: { raven: '0.8.1', express: '4.13.3' },
};

export const NOTES = [
  'Looking into it — seems related to the deploy this morning.',
  'Duplicate of the gateway timeout issue, the fix is in review.',
  'Cannot reproduce locally. ¿Alguien tiene más datos?',
  'Corrigé dans la prochaine version.',
  '再現手順を追記しました。',
  'Customer reported this twice, bumping priority.',
];

export const FEEDBACK = [
  'The page froze when I clicked “Pay now”.',
  'I was trying to update my address and got an error.',
  'Ça ne marche pas depuis ce matin.',
  '支払い画面でエラーになりました。',
  'Nothing happens after I submit the form.',
];
