/**
 * A loopback TCP proxy in front of a broker, so a test can hold back the
 * broker → client bytes (a packet "in flight"), cut every connection at
 * once the way a network drop looks to both sides, stop listening (the
 * broker's host refuses connections) and, with a packet filter, stop a
 * connection at an exact point of an MQTT exchange (e.g. after PUBREC).
 */
import net from 'node:net';

/** 'up' = client → broker, 'down' = broker → client. */
export type ProxyDirection = 'up' | 'down';
/**
 * Sees each whole MQTT packet (fixed header included). Return false to drop
 * it and everything after it in that direction on that connection.
 */
export type PacketFilter = (dir: ProxyDirection, packet: Buffer) => boolean;

export interface TcpProxy {
  port: number;
  /** Hold broker → client bytes (they are discarded if the connection drops). */
  holdDownstream(hold: boolean): void;
  /** Inspect whole packets (new and open connections); null forwards raw bytes again. */
  setFilter(filter: PacketFilter | null): void;
  /** Destroys every open connection pair (both sides see the socket close). */
  cutAll(): void;
  /** Stop accepting: connects to `port` are refused until resume(). Open pairs stay. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Open client connections. */
  readonly connections: number;
  stop(): Promise<void>;
}

/** Splits a byte stream into MQTT packets (fixed header + Remaining Length). */
class PacketFramer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      let len = 0;
      let mult = 1;
      let i = 1;
      let complete = false;
      for (; i < 5 && i < this.buf.length; i++) {
        len += (this.buf[i] & 127) * mult;
        mult *= 128;
        if ((this.buf[i] & 128) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || this.buf.length < i + 1 + len) return out;
      out.push(this.buf.subarray(0, i + 1 + len));
      this.buf = this.buf.subarray(i + 1 + len);
    }
  }
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let hold = false;
  let filter: PacketFilter | null = null;
  const pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  const onConnection = (client: net.Socket) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { a: client, b: upstream };
    pairs.add(pair);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    const framers = { up: new PacketFramer(), down: new PacketFramer() };
    const stopped = { up: false, down: false };
    const forward = (dir: ProxyDirection, to: net.Socket, d: Buffer) => {
      if (stopped[dir]) return;
      if (!filter) return void to.write(d);
      for (const packet of framers[dir].push(d)) {
        if (!filter(dir, packet)) {
          stopped[dir] = true;
          return;
        }
        to.write(packet);
      }
    };
    client.on('data', (d) => forward('up', upstream, d));
    upstream.on('data', (d) => {
      if (!hold) forward('down', client, d);
    });
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  };
  let server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as net.AddressInfo;
  const cutAll = () => {
    for (const p of [...pairs]) {
      p.a.destroy();
      p.b.destroy();
      pairs.delete(p);
    }
  };
  return {
    port: addr.port,
    holdDownstream(h: boolean) {
      hold = h;
    },
    setFilter(f: PacketFilter | null) {
      filter = f;
    },
    cutAll,
    get connections() {
      return pairs.size;
    },
    async pause() {
      // close() stops accepting at once; its callback would wait for the open pairs, so don't.
      if (server.listening) server.close();
    },
    async resume() {
      if (server.listening) return;
      server = net.createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(addr.port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      cutAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
