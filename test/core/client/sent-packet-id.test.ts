/** Sent QoS 1/2 messages learn the packet ID their PUBLISH went out with, so the UI can show their ack state. */
import { describe, expect, it } from 'vitest';
import { ConnectionLog, DEFAULT_LIMITS, type StoredMessage } from '../../../electron/core/client/connection-log';

const out = (topic: string, qos: 0 | 1 | 2): StoredMessage => ({
  seq: 0, at: 1, dir: 'out', topic, qos, retain: false, dup: false, payload: Buffer.from('x'), label: 'sent', labelSource: 'none',
});

describe('packet IDs of sent messages', () => {
  it('goes to the oldest pending message of that topic and QoS without one', () => {
    const log = new ConnectionLog(DEFAULT_LIMITS);
    log.addMessage(out('a', 1));
    log.addMessage(out('a', 1));
    log.addMessage(out('b', 2));
    log.addMessage(out('a', 0));
    log.notePublishPacketId('a', 1, 7);
    log.notePublishPacketId('a', 1, 8);
    log.notePublishPacketId('b', 2, 9);
    log.notePublishPacketId('c', 1, 10); // no such message: nothing changes
    const msgs = log.takeDelta()!.messages;
    expect(msgs.map((m) => [m.topic, m.qos, m.packetId])).toEqual([
      ['a', 1, 7],
      ['a', 1, 8],
      ['b', 2, 9],
      ['a', 0, undefined],
    ]);
  });
});
