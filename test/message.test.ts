import { describe, expect, it } from 'vitest';
import { encodeMessage, encodeRelayedMessage, makePayload, parseMessage } from '../src/transports/message.js';

describe('parseMessage', () => {
  it('reads seq and due from an encoded message', () => {
    const text = encodeMessage(42, 123456789012345678n, makePayload(256));

    expect(parseMessage(text)).toEqual({ seq: 42, due: '123456789012345678' });
  });

  it('reads the sender of a relayed message', () => {
    const text = encodeRelayedMessage(3, '123456789', 17, JSON.stringify('hello'));

    expect(parseMessage(text)).toEqual({ seq: 3, due: '123456789', from: 17 });
  });

  it('reads messages with other key orders through JSON', () => {
    expect(parseMessage('{"due":"99","data":"x","seq":7}')).toEqual({ seq: 7, due: '99', data: 'x' });
  });

  it('returns undefined for non-messages', () => {
    for (const text of ['', 'heartbeat', '{"seq":"7","due":"1"}', '{"seq":1}', '[1,2]', '{"seq":1,"due":"12']) {
      expect(parseMessage(text)).toBeUndefined();
    }
  });
});

describe('makePayload', () => {
  it('makes a payload of exactly the requested size', () => {
    expect(Buffer.byteLength(makePayload(256))).toBe(256);
  });
});
