import { describe, expect, it } from 'vitest';
import { toIncoming } from '../transports/socketio';

describe('toIncoming', () => {
  it('unwraps lifeline:event with id (as a string) and channel', () => {
    expect(toIncoming('lifeline:event', [{ id: 17, channel: 'room', event: 'm', data: { a: 1 } }])).toEqual({ event: 'm', data: { a: 1 }, id: '17', channel: 'room' });
  });

  it('passes any other Socket.IO event as-is (first argument as data, every argument in args when several)', () => {
    expect(toIncoming('news', [{ n: 1 }])).toEqual({ event: 'news', data: { n: 1 } });
    expect(toIncoming('news', [{ n: 1 }, 'extra'])).toEqual({ event: 'news', data: { n: 1 }, args: [{ n: 1 }, 'extra'] });
    expect(toIncoming('ping', [])).toEqual({ event: 'ping', data: undefined });
  });

  it('a malformed lifeline:event is delivered as a plain event, never dropped', () => {
    expect(toIncoming('lifeline:event', ['oops'])).toEqual({ event: 'lifeline:event', data: 'oops' });
  });
});
