// A growable byte buffer that CSV lines are written into digit by digit: no strings per row, so almost no garbage.

const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

export const encodeUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

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
    if (b.length > 24) {
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
      const q = Math.floor(frac / 10);
      this.buf[this.pos + i] = ZERO + (frac - q * 10);
      frac = q;
    }
    this.pos += places;
  }

  /** The bytes written so far, as a copy. */
  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
