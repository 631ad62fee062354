// A growable byte buffer that CSV lines are written into digit by digit: no strings per row, so almost no garbage.

const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/** Longer byte runs are copied natively (campaign prefixes); a loop is faster for shorter ones (labels, dates). */
const NATIVE_COPY_ABOVE = 24;

const utf8 = new TextEncoder();
export const encodeUtf8 = (text: string): Uint8Array => utf8.encode(text);

/** Texts packed into one byte array; a plain object, so it crosses to worker threads as three buffers. */
export interface PackedPieces {
  readonly bytes: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * Many short texts packed into one byte array, each known by its id. Copying from one array keeps the copy loop
 * monomorphic and cache-friendly; thousands of small typed arrays (one per campaign) are several times slower.
 */
export class Pieces {
  private bytes = new Uint8Array(1 << 16);
  private readonly starts: number[] = [];
  private size = 0;

  /** Adds `text` (UTF-8) and returns its id; call `seal` after the last one. */
  add(text: string): number {
    const encoded = encodeUtf8(text);
    if (this.size + encoded.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.size + encoded.length));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.bytes.set(encoded, this.size);
    this.starts.push(this.size, this.size + encoded.length);
    this.size += encoded.length;
    return this.starts.length / 2 - 1;
  }

  /** The packed texts, trimmed to size. */
  seal(): PackedPieces {
    return {
      bytes: this.bytes.slice(0, this.size),
      start: Int32Array.from(this.starts.filter((_, i) => i % 2 === 0)),
      end: Int32Array.from(this.starts.filter((_, i) => i % 2 === 1)),
    };
  }
}

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  private readonly digits = new Uint8Array(24);

  constructor(initial = 1 << 20) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    if (b.length > NATIVE_COPY_ABOVE) {
      // A native copy beats the loop for long pieces (campaign prefixes); the loop wins for short labels.
      this.buf.set(b, this.pos);
      this.pos += b.length;
      return;
    }
    const { buf } = this;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i] as number;
    this.pos = p;
  }

  /** Piece `id` of `pieces`. Long ones (the `campaign_id,campaign_name,` prefix) get a native copy, as in `bytes`. */
  piece(pieces: PackedPieces, id: number): void {
    const { buf } = this;
    const src = pieces.bytes;
    let p = this.pos;
    const start = pieces.start[id] as number;
    const end = pieces.end[id] as number;
    if (end - start > NATIVE_COPY_ABOVE) {
      buf.set(src.subarray(start, end), p);
      this.pos = p + end - start;
      return;
    }
    for (let i = start; i < end; i++) buf[p++] = src[i] as number;
    this.pos = p;
  }

  /** Text made of single-byte (ASCII) characters only. */
  ascii(text: string): void {
    const { buf } = this;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A whole number in decimal. */
  int(value: number): void {
    let v = value;
    if (v < 0) {
      this.buf[this.pos++] = MINUS;
      v = -v;
    }
    const { digits } = this;
    let n = 0;
    if (v < 2147483648) {
      // Small integers (nearly all values) stay in 32-bit integer arithmetic, which is several times faster.
      do {
        const q = (v / 10) | 0;
        digits[n++] = ZERO + (v - q * 10);
        v = q;
      } while (v > 0);
      while (n > 0) this.buf[this.pos++] = digits[--n] as number;
      return;
    }
    do {
      const q = Math.floor(v / 10);
      digits[n++] = ZERO + (v - q * 10);
      v = q;
    } while (v > 0);
    while (n > 0) this.buf[this.pos++] = digits[--n] as number;
  }

  /** A whole number of 1/10^places units as a decimal with `places` places: fixed(-1234, 2) -> "-12.34". */
  fixed(value: number, places: number): void {
    let v = value;
    if (v < 0) {
      this.buf[this.pos++] = MINUS;
      v = -v;
    }
    const scale = POW10[places] as number;
    const whole = Math.floor(v / scale);
    this.int(whole);
    this.buf[this.pos++] = DOT;
    let frac = v - whole * scale;
    for (let i = places - 1; i >= 0; i--) {
      const q = (frac / 10) | 0;
      this.buf[this.pos + i] = ZERO + (frac - q * 10);
      frac = q;
    }
    this.pos += places;
  }

  /** Starts over, writing into `buf` (a buffer handed back for reuse) when given. */
  restart(buf?: Uint8Array): void {
    if (buf) this.buf = buf;
    this.pos = 0;
  }

  /** The bytes written so far, as a view of the buffer (no copy): valid until the next `restart`. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written so far, as a copy. */
  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
