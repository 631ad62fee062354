// A fast seeded pseudo-random generator (sfc32) that can jump to any row, plus table-driven noise for the facts.

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit key for (seed, stream): seeds are any safe integer, streams keep unrelated draws apart. */
export function streamKey(seed: number, stream: number): number {
  const lo = Number(BigInt.asUintN(32, BigInt(seed)));
  const hi = Number(BigInt.asUintN(32, BigInt(seed) >> 32n));
  return mix32(mix32(lo ^ Math.imul(stream, 0x9e3779b9)) ^ hi);
}

/**
 * sfc32. `reset(key, index)` starts an independent sequence per (key, index), so row `index` draws the same
 * numbers whichever batch, thread or order produces it: that is what makes output byte-identical.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(key = 0, index = 0) {
    this.reset(key, index);
  }

  /** Restarts the sequence for `index` (a whole number below 2^53) under `key`. */
  reset(key: number, index: number): void {
    const lo = index >>> 0;
    const hi = (index / 4294967296) >>> 0;
    this.a = mix32(key ^ lo);
    this.b = mix32(this.a ^ hi ^ 0x9e3779b9);
    this.c = mix32(this.b + lo + 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 4; i++) this.u32();
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value of a noise table (see `lognormalTable`). */
  noise(table: Float64Array): number {
    return table[this.u32() >>> NOISE_SHIFT] as number;
  }
}

const NOISE_BITS = 12;
const NOISE_SHIFT = 32 - NOISE_BITS;

/** Inverse of the standard normal CDF (Acklam's rational approximation, error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/**
 * A table of log-normal multipliers with median 1 and spread `sigma`, one per quantile of 4,096: drawing from it
 * costs one random integer and one array read instead of a log, a cosine and an exp per value.
 */
export function lognormalTable(sigma: number): Float64Array {
  const size = 1 << NOISE_BITS;
  const table = new Float64Array(size);
  for (let k = 0; k < size; k++) table[k] = Math.exp(sigma * normalQuantile((k + 0.5) / size));
  return table;
}
