/**
 * The seed's deterministic randomness: sfc32 seeded through a string hash, so that `--seed N` gives the
 * same data on every machine and engine. Each part of the data model draws from its own stream
 * (`rng.fork('users')`), so adding draws in one part never shifts the values of another.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(
    readonly seed: number,
    readonly label = '',
  ) {
    const h = hash128(`${seed}/${label}`);
    [this.a, this.b, this.c, this.d] = h;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** An independent stream for one part of the model. */
  fork(label: string): Rng {
    return new Rng(this.seed, this.label ? `${this.label}/${label}` : label);
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** One of `items`, each with its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.float() * total;
    for (const [v, w] of items) {
      if ((x -= w) < 0) return v;
    }
    return items[items.length - 1][0];
  }

  /** `k` distinct items of `items`, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle([...items]).slice(0, Math.min(k, items.length));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** Fill `out[offset .. offset+n)` with random bytes. */
  fill(out: Uint8Array, offset: number, n: number): void {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const x = this.u32();
      out[offset + i] = x & 0xff;
      out[offset + i + 1] = (x >>> 8) & 0xff;
      out[offset + i + 2] = (x >>> 16) & 0xff;
      out[offset + i + 3] = x >>> 24;
    }
    if (i < n) {
      let x = this.u32();
      for (; i < n; i++, x >>>= 8) out[offset + i] = x & 0xff;
    }
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    this.fill(b, 0, n);
    return b;
  }

  /** `n` random bytes as lower-case hex (`uuid4().hex` is `hex(16)`). */
  hex(n: number): string {
    return this.bytes(n).toString('hex');
  }

  /** Random text from an alphabet (Django's `get_random_string`). */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** cyrb128: a small, well-mixed string hash giving the four sfc32 state words. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A small integer hash of a few integers, for values that must be a pure function of their inputs. */
export function mix(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
