/**
 * Heap figures of a Node broker after a forced full GC, through the
 * inspector protocol. RSS alone cannot tell a leak from V8 keeping its heap
 * pages after a burst; heapUsed after collectGarbage can.
 */
import WebSocket from 'ws';

export interface HeapFigures {
  heapUsedBytes: number;
  externalBytes: number;
  rssBytes: number;
}

export async function heapAfterGc(inspectorUrl: string, timeoutMs = 10_000): Promise<HeapFigures> {
  const ws = new WebSocket(inspectorUrl);
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const work = async (): Promise<HeapFigures> => {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // Twice: the first pass can leave objects whose finalizers free more.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = (await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as {
      result?: { value?: string };
    };
    const m = JSON.parse(r.result?.value ?? '{}') as { heapUsed?: number; external?: number; rss?: number };
    return { heapUsedBytes: m.heapUsed ?? 0, externalBytes: m.external ?? 0, rssBytes: m.rss ?? 0 };
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`inspector did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    ws.terminate();
  }
}
