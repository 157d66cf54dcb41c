// Protocol Buffers wire format: a bounds-checked reader over one message's bytes.

/** The wire types protobuf puts in the low three bits of every tag. */
export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/** Malformed protobuf bytes; the decoder turns it into a 400 BadRequest. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** One field tag: field number and wire type. */
export interface Tag {
  field: number;
  wire: number;
}

const utf8 = new TextDecoder('utf-8');

/** Reads one protobuf message from `buf`; every read checks bounds and throws WireError past the end. */
export class WireReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** True when every byte has been read. */
  done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a field tag; field numbers must be positive. */
  tag(): Tag {
    const [lo, hi] = this.varintParts();
    if (hi !== 0 || lo >>> 3 === 0) throw new WireError(`invalid field tag at offset ${this.pos}`);
    return { field: lo >>> 3, wire: lo & 7 };
  }

  /** A varint as the low and high 32 bits, both unsigned. */
  varintParts(): [lo: number, hi: number] {
    let lo = 0;
    let hi = 0;
    let b: number;
    for (let i = 0; i < 4; i++) {
      b = this.byte();
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) return [lo >>> 0, 0];
    }
    b = this.byte();
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >>> 4;
    if (b < 0x80) return [lo >>> 0, hi];
    for (let i = 0; i < 5; i++) {
      b = this.byte();
      hi |= (b & 0x7f) << (i * 7 + 3);
      if (b < 0x80) return [lo >>> 0, hi >>> 0];
    }
    throw new WireError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** An int32 field (negative values take ten bytes on the wire). */
  int32(): number {
    return this.varintParts()[0] | 0;
  }

  /** A uint32 field. */
  uint32(): number {
    return this.varintParts()[0];
  }

  /** An int64 field as a JavaScript number (exact up to 2^53, as JSON numbers are). */
  int64(): number {
    const [lo, hi] = this.varintParts();
    return (hi | 0) * 0x1_0000_0000 + lo;
  }

  /** A uint64 field as a JavaScript number. */
  uint64(): number {
    const [lo, hi] = this.varintParts();
    return hi * 0x1_0000_0000 + lo;
  }

  /** A bool field: any non-zero varint is true. */
  bool(): boolean {
    const [lo, hi] = this.varintParts();
    return lo !== 0 || hi !== 0;
  }

  /** A double (fixed64) field. */
  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A float (fixed32) field. */
  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const [lo, hi] = this.varintParts();
    if (hi !== 0 || lo > this.buf.length - this.pos) throw new WireError(`length ${hi ? 'over 2^32' : lo} runs past the end at offset ${this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + lo);
    this.pos += lo;
    return out;
  }

  /** A string field, decoded as UTF-8 (invalid sequences become U+FFFD, as Go's JSON encoder does). */
  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips over one field's value of the given wire type. */
  skip(wire: number): void {
    switch (wire) {
      case WireType.Varint:
        this.varintParts();
        return;
      case WireType.Fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.Bytes:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        // Groups (3, 4) are not used by any Kubernetes message; 6 and 7 do not exist.
        throw new WireError(`unsupported wire type ${wire} at offset ${this.pos}`);
    }
  }

  private byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) throw new WireError(`unexpected end of data at offset ${this.pos}`);
    this.pos++;
    return b;
  }

  private need(n: number): void {
    if (this.buf.length - this.pos < n) throw new WireError(`unexpected end of data at offset ${this.pos}`);
  }
}
