/**
 * Splits a byte stream into whole MQTT packets using the fixed header's
 * Remaining Length, before any decoding. Knowing a packet's size up front lets
 * the broker refuse an oversized packet without buffering it, spot a client
 * stalled mid-packet, and hand the decoder exact frames (so the decoder never
 * holds partial state between packets and can be shared by all connections).
 */
export type FrameError = 'bad-remaining-length' | 'too-large';

export interface FrameSink {
  /**
   * Called for each whole packet: bytes [start, end) of `buf`, the fixed header taking `headerLength`
   * of them (offsets, not a subarray per packet: no object per packet). Valid only during the call
   * unless copied. Return false to stop.
   */
  onFrame(buf: Buffer, start: number, end: number, headerLength: number): boolean;
  onFrameError(kind: FrameError, size: number): void;
  /** When onFrame returned false: true = only paused (keep the rest for later), false = closed (drop it). */
  readonly inputPaused: boolean;
}

export class FrameReader {
  private chunks: Buffer[] | null = null;
  private pendingLength = 0;
  /** Total bytes of the frame being assembled, once its header is known; 0 if not known yet. */
  private needed = 0;
  /** When the current partial packet started arriving (0 = none pending). */
  partialSince = 0;
  maxPacketSize: number;

  constructor(maxPacketSize: number) {
    this.maxPacketSize = maxPacketSize;
  }

  get hasPartial(): boolean {
    return this.pendingLength > 0;
  }

  feed(chunk: Buffer, sink: FrameSink, now: number): void {
    let buf: Buffer;
    if (this.pendingLength > 0) {
      const chunks = this.chunks!;
      chunks.push(chunk);
      this.pendingLength += chunk.length;
      if (this.needed > 0 && this.pendingLength < this.needed) return;
      buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.pendingLength);
      this.chunks = null;
      this.pendingLength = 0;
      this.needed = 0;
    } else {
      buf = chunk;
    }
    let off = 0;
    const end = buf.length;
    while (off < end) {
      const avail = end - off;
      if (avail < 2) break;
      let value = 0;
      let mul = 1;
      let i = 1;
      let complete = false;
      while (i <= 4 && off + i < end) {
        const b = buf[off + i];
        value += (b & 0x7f) * mul;
        mul *= 128;
        i++;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (i > 4) {
          sink.onFrameError('bad-remaining-length', 0);
          return;
        }
        break; // header still incomplete
      }
      const total = i + value;
      if (total > this.maxPacketSize) {
        sink.onFrameError('too-large', total);
        return;
      }
      if (avail < total) {
        this.needed = total;
        break;
      }
      if (!sink.onFrame(buf, off, off + total, i)) {
        if (!sink.inputPaused) return;
        off += total;
        break; // the rest waits in `chunks` until feed() is called again
      }
      off += total;
    }
    if (off < end) {
      // Keep only the unparsed tail; a copy stops a tiny tail pinning a large socket chunk.
      const tail = end - off < 4096 ? Buffer.from(buf.subarray(off)) : buf.subarray(off);
      this.chunks = [tail];
      this.pendingLength = tail.length;
      // A new partial packet (progress was made) restarts the stall clock.
      if (off > 0 || this.partialSince === 0) this.partialSince = now;
    } else {
      this.partialSince = 0;
    }
  }

  /** Keeps bytes that arrived while input is paused, unparsed (feed() parses them later). */
  stash(chunk: Buffer): void {
    if (chunk.length === 0) return;
    (this.chunks ??= []).push(chunk);
    this.pendingLength += chunk.length;
    this.needed = 0;
  }

  /** Reading was paused by the broker: time spent paused does not count as the client stalling. */
  restartStallClock(now: number): void {
    if (this.partialSince !== 0) this.partialSince = now;
  }

  reset(): void {
    this.chunks = null;
    this.pendingLength = 0;
    this.needed = 0;
    this.partialSince = 0;
  }
}
