/**
 * A loopback TCP proxy in front of a broker, so a test can hold back the
 * broker → client bytes (a packet "in flight") and cut both sides at once,
 * the way a network drop looks to the broker.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Hold broker → client bytes (they are discarded if the connection drops). */
  holdDownstream(hold: boolean): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let hold = false;
  const pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { a: client, b: upstream };
    pairs.add(pair);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!hold) client.write(d);
    });
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    holdDownstream(h: boolean) {
      hold = h;
    },
    async stop() {
      for (const p of pairs) {
        p.a.destroy();
        p.b.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
