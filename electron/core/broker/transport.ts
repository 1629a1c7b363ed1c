/**
 * The byte pipe under a connection: a TCP socket or a WebSocket. Connections
 * only see this interface, so MQTT over WebSocket is the same code path.
 * Classes rather than closures: methods live on the prototype, so an idle
 * connection carries only its listeners.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface TransportHandlers {
  onData(chunk: Buffer): void;
  onClose(reason: string): void;
  /** The OS took all buffered output (TCP only; WebSocket relies on the broker's sweep). */
  onDrain(): void;
}

export interface Transport {
  readonly kind: 'tcp' | 'ws';
  readonly remote: string;
  /** Writes the chunks as one batch. */
  write(chunks: Buffer[], total: number): void;
  /** Bytes accepted but not yet handed to the OS. */
  buffered(): number;
  /** From now on, call onDrain when the OS took all buffered output (TCP; the sweep covers WebSocket). */
  watchDrain(): void;
  /** Stop / restart reading (backpressure from slow subscribers). */
  pause(): void;
  resume(): void;
  /** Flush then close. */
  end(): void;
  destroy(): void;
}

/** A peer that never reads must not keep a half-closed socket around. */
const END_TIMEOUT_MS = 2000;

export class TcpTransport implements Transport {
  readonly kind = 'tcp';
  closeReason = 'connection closed by client';
  private drainWatched = false;
  private endTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: TransportHandlers,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => handlers.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.closeReason = `socket error: ${err.code ?? err.message}`;
    });
    socket.on('close', () => {
      // Cleared at once: a pending timer would keep the closed socket (and its connection) alive for 2 s.
      if (this.endTimer !== null) clearTimeout(this.endTimer);
      this.endTimer = null;
      handlers.onClose(this.closeReason);
    });
  }

  /** Added on first congestion only: most connections never fill their socket. */
  watchDrain(): void {
    if (this.drainWatched) return;
    this.drainWatched = true;
    this.socket.on('drain', () => this.handlers.onDrain());
  }

  /** Computed on demand: most connections never need it, and it is a system call. */
  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  write(chunks: Buffer[], total: number): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (chunks.length === 1) socket.write(chunks[0]);
    else if (total <= 16384) socket.write(Buffer.concat(chunks, total));
    else {
      socket.cork();
      for (const c of chunks) socket.write(c);
      socket.uncork();
    }
  }

  buffered(): number {
    return this.socket.writableLength;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.socket.destroyed) this.socket.resume();
  }

  end(): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    socket.end();
    if (this.endTimer === null) {
      this.endTimer = setTimeout(() => socket.destroy(), END_TIMEOUT_MS);
      this.endTimer.unref();
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export class WsTransport implements Transport {
  readonly kind = 'ws';
  closeReason = 'connection closed by client';

  constructor(
    private readonly ws: WebSocket,
    readonly remote: string,
    handlers: TransportHandlers,
  ) {
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!isBinary) {
        // MQTT over WebSocket uses binary frames only (MQTT 6.0).
        this.closeReason = 'text WebSocket frame (MQTT needs binary frames)';
        ws.terminate();
        return;
      }
      handlers.onData(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
    });
    ws.on('error', (err: Error) => {
      this.closeReason = `WebSocket error: ${err.message}`;
    });
    ws.on('close', () => handlers.onClose(this.closeReason));
  }

  write(chunks: Buffer[], total: number): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), { binary: true });
  }

  buffered(): number {
    return this.ws.bufferedAmount;
  }

  watchDrain(): void {
    // ws has no drain event: the broker's sweep checks bufferedAmount.
  }

  pause(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.pause();
  }

  resume(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.resume();
  }

  end(): void {
    const ws = this.ws;
    if (ws.readyState === ws.OPEN) ws.close(1000);
    setTimeout(() => ws.terminate(), END_TIMEOUT_MS).unref();
  }

  destroy(): void {
    this.ws.terminate();
  }
}
