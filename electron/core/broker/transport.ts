/**
 * The byte pipe under a connection: a TCP socket or a WebSocket. Connections
 * only see this interface, so MQTT over WebSocket is the same code path.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface TransportHandlers {
  data(chunk: Buffer): void;
  close(reason: string): void;
  /** The OS took all buffered output (TCP only; WebSocket relies on the broker's sweep). */
  drain?(): void;
}

export interface Transport {
  readonly kind: 'tcp' | 'ws';
  readonly remote: string;
  /** Writes the chunks as one batch. */
  write(chunks: Buffer[], total: number): void;
  /** Bytes accepted but not yet handed to the OS. */
  buffered(): number;
  /** Flush then close. */
  end(): void;
  destroy(): void;
}

export function tcpTransport(socket: Socket, handlers: TransportHandlers): Transport {
  socket.setNoDelay(true);
  let closeReason = 'connection closed by client';
  socket.on('data', (chunk: Buffer) => handlers.data(chunk));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    closeReason = `socket error: ${err.code ?? err.message}`;
  });
  socket.on('close', () => handlers.close(closeReason));
  if (handlers.drain) socket.on('drain', handlers.drain);
  return {
    kind: 'tcp',
    remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
    write(chunks, total) {
      if (socket.destroyed) return;
      if (chunks.length === 1) socket.write(chunks[0]);
      else if (total <= 16384) socket.write(Buffer.concat(chunks, total));
      else {
        socket.cork();
        for (const c of chunks) socket.write(c);
        socket.uncork();
      }
    },
    buffered: () => socket.writableLength,
    end() {
      if (!socket.destroyed) socket.end();
      // A peer that never reads must not keep a half-closed socket around.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
    destroy: () => socket.destroy(),
  };
}

export function wsTransport(ws: WebSocket, remote: string, handlers: TransportHandlers): Transport {
  let closeReason = 'connection closed by client';
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) {
      // MQTT over WebSocket uses binary frames only (MQTT 6.0).
      closeReason = 'text WebSocket frame (MQTT needs binary frames)';
      ws.terminate();
      return;
    }
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    handlers.data(buf);
  });
  ws.on('error', (err: Error) => {
    closeReason = `WebSocket error: ${err.message}`;
  });
  ws.on('close', () => handlers.close(closeReason));
  return {
    kind: 'ws',
    remote,
    write(chunks, total) {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), { binary: true });
    },
    buffered: () => ws.bufferedAmount,
    end() {
      if (ws.readyState === ws.OPEN) ws.close(1000);
      setTimeout(() => ws.terminate(), 2000).unref();
    },
    destroy: () => ws.terminate(),
  };
}
