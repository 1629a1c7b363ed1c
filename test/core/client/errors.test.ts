/**
 * Bad input and unreachable brokers: every case ends in a clear error on the
 * connection (or a UserFacingError from the call), never a crash or a hang.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../electron/core/client';
import { UserFacingError } from '../../../electron/core/contract-dispatch';
import { freePort, startMosquitto, type RunningMosquitto } from '../helpers/mosquitto';
import { makeProfile, waitFor } from './fixtures';

describe('connection errors', () => {
  let plain: RunningMosquitto;
  let secured: RunningMosquitto;
  let mgr: ConnectionManager;

  beforeAll(async () => {
    plain = await startMosquitto();
    secured = await startMosquitto(
      [
        'allow_anonymous false',
        'allow_zero_length_clientid false',
        'password_file {dir}/passwd',
      ].join('\n'),
      async (dir) => {
        execFileSync('mosquitto_passwd', ['-b', '-c', path.join(dir, 'passwd'), 'alice', 'secret']);
      },
    );
    mgr = new ConnectionManager({ batchIntervalMs: 20 });
  });
  afterAll(async () => {
    await mgr?.closeAll();
    await plain?.stop();
    await secured?.stop();
  });

  it('unreachable port: connect settles with the socket error', async () => {
    const port = await freePort();
    const st = await mgr.connect(makeProfile(port));
    expect(st.status).toBe('error');
    expect(st.error).toMatch(/^Nothing is listening on 127\.0\.0\.1:\d+: .*\(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('unreachable with auto-reconnect: reports reconnecting with the error, disconnect stops it', async () => {
    const port = await freePort();
    const p = makeProfile(port, { reconnect: true, reconnectPeriodMs: 200 });
    const st = await mgr.connect(p);
    expect(st.status).toBe('reconnecting');
    expect(st.error).toMatch(/ECONNREFUSED/);
    // Every attempt is in the CONNACK history, with why it got no CONNACK.
    await waitFor(mgr, p.id, (s) => s.connacks.length >= 3, 'three failed attempts recorded', 5000);
    expect((await mgr.disconnect({ profileId: p.id })).status).toBe('disconnected');
    const history = mgr.snapshot(p.id)!.connacks;
    const connects = mgr.snapshot(p.id)!.packets.filter((x) => x.type === 'connect').length;
    // (a last attempt cut short by the Disconnect is not a failure of the broker, so it may be missing)
    expect(history.length).toBeGreaterThanOrEqual(connects - 1);
    for (const c of history) expect(c).toMatchObject({ reasonCode: -1, sessionPresent: false, failure: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('a server that never answers CONNECT: connect timeout, not a hang', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const st = await mgr.connect(makeProfile((silent.address() as net.AddressInfo).port, { connectTimeoutMs: 1000 }));
      expect(st.status).toBe('error');
      expect(st.error).toBe('No CONNACK within 1000 ms (connect timeout)');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });

  it('a server that answers in HTTP, not MQTT: says so and keeps the parser message', async () => {
    const http = net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      const port = (http.address() as net.AddressInfo).port;
      const st = await mgr.connect(makeProfile(port, { connectTimeoutMs: 2000 }));
      expect(st.status).toBe('error');
      expect(st.error).toMatch(new RegExp(`^The server at 127\\.0\\.0\\.1:${port} did not answer in MQTT: is this the broker's MQTT port .*\\(Invalid header flag bits`));
    } finally {
      await new Promise((r) => http.close(r));
    }
  });

  it('bad credentials: 3.1.1 and 5.0 CONNACK refusals are named', async () => {
    const v3 = await mgr.connect(makeProfile(secured.port, { mqttVersion: '3.1.1', username: 'alice', password: 'wrong' }));
    expect(v3.status).toBe('error');
    expect(v3.error).toMatch(/^CONNACK 0x0[45] (Bad user name or password|Not authorized) — check the username and password/);
    const p5 = makeProfile(secured.port, { mqttVersion: '5.0', username: 'alice', password: 'wrong' });
    const v5 = await mgr.connect(p5);
    expect(v5.status).toBe('error');
    expect(v5.error).toMatch(/^CONNACK 0x8[67] (Bad User Name or Password|Not authorized) — check the username and password/);
    const c = mgr.snapshot(p5.id)!.connacks[0];
    expect(c.reasonCode).toBeGreaterThanOrEqual(0x80);
    const ok = await mgr.connect({ ...p5, password: 'secret' });
    expect(ok.status).toBe('connected');
    // The timeline's bytes of that CONNECT never show the password.
    const connects = mgr.snapshot(p5.id)!.packets.filter((x) => x.type === 'connect');
    const bytes = Buffer.from(mgr.packetBytes(p5.id, connects[connects.length - 1].seq)!.hex, 'hex');
    expect(bytes.includes(Buffer.from('secret'))).toBe(false);
    expect(bytes.includes(Buffer.from('alice'))).toBe(true);
    expect(bytes.includes(Buffer.from('******'))).toBe(true);
    await mgr.disconnect({ profileId: p5.id });
  });

  it('identifier rejected: empty client ID on a broker that forbids it', async () => {
    const p = makeProfile(secured.port, { mqttVersion: '3.1.1', clientId: '', clean: true, username: 'alice', password: 'secret' });
    const st = await mgr.connect(p);
    expect(st.status).toBe('error');
    expect(st.error).toBe('CONNACK 0x02 Identifier rejected');
  });

  it('TLS: handshake against a plain TCP port fails with a TLS error', async () => {
    const st = await mgr.connect(makeProfile(plain.port, { protocol: 'mqtts', connectTimeoutMs: 2000 }));
    expect(st.status).toBe('error');
    expect(st.error).toMatch(/^TLS (handshake failed|error): /);
  });

  it('TLS: a self-signed broker certificate is refused without its CA and accepted with it', async () => {
    const tlsBroker = await startMosquitto('certfile {dir}/cert.pem\nkeyfile {dir}/key.pem', async (dir) => {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      ], { stdio: 'ignore' });
    });
    try {
      const refused = await mgr.connect(makeProfile(tlsBroker.port, { protocol: 'mqtts' }));
      expect(refused.status).toBe('error');
      expect(refused.error).toBe('TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
      const p = makeProfile(tlsBroker.port, { protocol: 'mqtts', tls: { caFile: path.join(tlsBroker.dir, 'cert.pem'), rejectUnauthorized: true, alpn: [] } });
      expect((await mgr.connect(p)).status).toBe('connected');
      await mgr.disconnect({ profileId: p.id });
    } finally {
      await tlsBroker.stop();
    }
  });

  it('TLS: an unreadable CA file is named', async () => {
    const st = await mgr.connect(makeProfile(plain.port, { protocol: 'mqtts', tls: { caFile: '/nonexistent/ca.pem', rejectUnauthorized: true, alpn: [] } }));
    expect(st.status).toBe('error');
    expect(st.error).toBe('Cannot read TLS CA file /nonexistent/ca.pem: ENOENT');
  });

  it('a refused subscription on 3.1.1 is named as 3.1.1 names it (not MQTT.js\'s 5.0 "Unspecified error")', async () => {
    const denying = net.createServer((sock) => {
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      const send = (p: object) => sock.write(mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 4 }));
      parser.on('packet', (p) => {
        if (p.cmd === 'connect') send({ cmd: 'connack', returnCode: 0, sessionPresent: false });
        if (p.cmd === 'subscribe') send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map(() => 0x80) });
      });
      sock.on('data', (d) => parser.parse(d));
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => denying.listen(0, '127.0.0.1', r));
    try {
      const p = makeProfile((denying.address() as net.AddressInfo).port, { mqttVersion: '3.1.1' });
      expect((await mgr.connect(p)).status).toBe('connected');
      await expect(mgr.subscribe(p.id, { topic: 'deny/me', qos: 1, noLocal: false, retainAsPublished: false, retainHandling: 0 })).rejects.toThrow(
        'Subscription to deny/me refused: SUBACK 0x80 Failure',
      );
      expect(mgr.snapshot(p.id)!.subscriptions[0]).toMatchObject({ status: 'failed', reasonCode: 0x80, reasonName: 'Failure' });
      await mgr.disconnect({ profileId: p.id });
    } finally {
      await new Promise((r) => denying.close(r));
    }
  });

  it('bad publish input is a UserFacingError with the reason', async () => {
    const p = makeProfile(plain.port, { allowOfflinePublish: false });
    await mgr.connect(p);
    const pub = (payload: string, format: 'json' | 'hex' | 'base64' | 'text', topic = 'x') =>
      mgr.publish(p.id, { topic, qos: 0, retain: false, payload, format });
    await expect(pub('{"a":', 'json')).rejects.toThrow(/^Invalid JSON payload: /);
    await expect(pub('{"a":', 'json')).rejects.toBeInstanceOf(UserFacingError);
    await expect(pub('abc', 'hex')).rejects.toThrow('Invalid hex payload: odd number of hex digits');
    await expect(pub('zz', 'hex')).rejects.toThrow('Invalid hex payload: "z" is not a hex digit');
    await expect(pub('a$b=', 'base64')).rejects.toThrow(/^Invalid base64 payload/);
    await expect(pub('ok', 'text', 'a/+/b')).rejects.toThrow('Wildcards (+ and #) are not allowed in a topic name');
    expect(await pub('{"a":1}', 'json')).toEqual({ outboxed: false });
    await mgr.disconnect({ profileId: p.id });
    await expect(pub('x', 'text')).rejects.toThrow('Not connected and this profile does not allow offline publishing');
    await expect(mgr.publish('no-such-profile', { topic: 'x', qos: 0, retain: false, payload: '', format: 'text' })).rejects.toBeInstanceOf(UserFacingError);
  });

  it('5.0: raising Session Expiry in DISCONNECT after CONNECT sent 0 is refused before sending', async () => {
    const p = makeProfile(plain.port, { mqttVersion: '5.0', sessionExpiryInterval: 0 });
    await mgr.connect(p);
    await expect(mgr.disconnect({ profileId: p.id, sessionExpiryInterval: 60 })).rejects.toThrow(/forbids raising it/);
    expect(mgr.snapshot(p.id)!.state.status).toBe('connected');
    await mgr.disconnect({ profileId: p.id });
  });
});
