/**
 * TCP and WebSocket (path /mqtt, subprotocol "mqtt") listeners. Binding errors
 * become clear Errors (e.g. port in use) instead of unhandled 'error' events.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

function bindError(err: NodeJS.ErrnoException, what: string, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new Error(`${what} port ${port} on ${host} is already in use`);
  if (err.code === 'EACCES') return new Error(`no permission to listen on ${what} port ${port} on ${host}`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new Error(`cannot listen on ${host}: address not available`);
  return new Error(`cannot listen on ${what} ${host}:${port}: ${err.message}`);
}

function listen(server: Server | HttpServer, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(bindError(err, what, host, port));
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', () => {
        // Runtime server errors (e.g. EMFILE on accept) must not crash the process.
      });
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export async function listenTcp(host: string, port: number, onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, onSocket);
  const bound = await listen(server, host, port, 'MQTT');
  return { server, port: bound };
}

export async function listenWs(
  host: string,
  port: number,
  maxPayload: number,
  onWs: (ws: WebSocket, remote: string) => void,
): Promise<{ http: HttpServer; wss: WebSocketServer; port: number }> {
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('MQTT over WebSocket: connect to ws://host:port/mqtt\n');
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/mqtt',
    maxPayload,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  wss.on('connection', (ws, req) => onWs(ws, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`));
  wss.on('error', () => {});
  const bound = await listen(http, host, port, 'WebSocket');
  return { http, wss, port: bound };
}

export function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
