import { describe, expect, it } from 'vitest';
import { parseSharedFilter, topicFilterError, topicMatches, topicNameError } from '../../shared/mqtt/topic';

describe('topic rules (MQTT 4.7)', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['+/+', '/x', true],
    ['#', '$SYS/broker', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
    ['a/b', 'a/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('rejects wildcards and empty names in topic names', () => {
    expect(topicNameError('a/+')).toMatch(/Wildcards/);
    expect(topicNameError('')).toMatch(/empty/);
    expect(topicNameError('a/b')).toBeNull();
  });

  it('validates filters', () => {
    expect(topicFilterError('a/#/b')).toMatch(/#/);
    expect(topicFilterError('a+/b')).toMatch(/\+/);
    expect(topicFilterError('a/+/#')).toBeNull();
    expect(topicFilterError('$share/g/a/#')).toBeNull();
    expect(topicFilterError('$share/g')).toMatch(/shared/);
    expect(parseSharedFilter('$share/g/a/b')).toEqual({ group: 'g', filter: 'a/b' });
  });
});
