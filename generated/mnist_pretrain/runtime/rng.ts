// A small seeded PRNG (xoshiro128**, seeded by splitmix32) whose whole state is
// four uint32 words, so checkpoints can save it and `--resume` continues the
// exact same random stream (shuffles, dropout seeds, initialisers).

/** Serialisable RNG state, stored in checkpoints. */
export interface RngState {
  algorithm: 'xoshiro128**';
  s: [number, number, number, number];
}

export class Rng {
  private s: Uint32Array;

  /** Any finite number is a valid seed; equal seeds give equal streams. */
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    // splitmix32 spreads the seed over the four state words (never all zero).
    let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Rebuilds a generator from `state()`; it continues the same stream. */
  static fromState(state: RngState): Rng {
    if (state.algorithm !== 'xoshiro128**' || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new Error(`unsupported RNG state ${JSON.stringify(state)}`);
    }
    const r = new Rng(0);
    for (let i = 0; i < 4; i++) r.s[i] = state.s[i]! >>> 0;
    return r;
  }

  /** A copy of the current state (plain JSON). */
  state(): RngState {
    return { algorithm: 'xoshiro128**', s: [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!] };
  }

  /** Next raw uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [lo, hi) (53-bit resolution). */
  uniform(lo = 0, hi = 1): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    const u = (a * 67108864 + b) / 9007199254740992;
    return lo + (hi - lo) * u;
  }

  /** Normal(mean, std) by Box–Muller (no cached spare, so the state stays four words). */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n) without modulo bias; n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`Rng.int: bad bound ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A fresh seed for a seeded tfjs op (e.g. a dropout mask's `tf.randomUniform(shape, 0, 1, 'float32', seed)`). */
  nextSeed(): number {
    return this.int(2147483647);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
