import { beforeAll, describe, expect, it } from 'vitest';
import { LifelineError, loadHints } from '../errors';
import { fallbackNotice, type FallbackRound } from '../fallbackNotice';
import type { TransportFailure } from '../transports/types';

// These tests read `hint` synchronously: load the hint texts first, as the client does before it reports an error.
beforeAll(() => loadHints());

const url = 'http://127.0.0.1:3000/socket.io';
const round = (over: Partial<FallbackRound>): FallbackRound => ({ primary: null, racer: null, rungs: ['websocket', 'polling', 'http'], from: 0, to: 1, url, path: '/socket.io', headStartMs: 1000, ...over });
const rejected: TransportFailure = { kind: 'upgrade-blocked', opened: false, reason: 'websocket upgrade rejected (400)', error: new LifelineError('UPGRADE_BLOCKED', 'The WebSocket upgrade was rejected with HTTP 400.', { url, status: 400 }) };
const reset: TransportFailure = { kind: 'unreachable', opened: false, reason: 'websocket failed (websocket error)' };
const pollingBlocked: TransportFailure = { kind: 'unreachable', opened: false, reason: 'polling failed (xhr poll error)' };

describe('fallbackNotice', () => {
  it('keeps the classified UPGRADE_BLOCKED error of a rejected upgrade as the notice', () => {
    const f = fallbackNotice(round({ primary: rejected }));
    expect(f.notice).toBe(rejected.error);
    expect(f.reason).toBe('websocket upgrade rejected (400): HTTP answers, falling back to polling');
  });

  it('a refused or reset websocket is told as a blocked upgrade with the nginx hint', () => {
    const f = fallbackNotice(round({ primary: reset }));
    expect(f.notice.code).toBe('UPGRADE_BLOCKED');
    expect(f.notice.message).toBe('websocket failed (websocket error): HTTP answers, falling back to polling.');
    expect(f.notice.hint).toContain('proxy_set_header Upgrade');
  });

  it('a websocket that is still trying when the head start runs out says how long it had', () => {
    const f = fallbackNotice(round({ headStartMs: 750 }));
    expect(f.reason).toBe('websocket did not answer within 750 ms: polling connected first');
    expect(f.notice.code).toBe('UPGRADE_BLOCKED');
  });

  it('both Socket.IO carriers failing while http answers blames the Socket.IO path, not the Upgrade header', () => {
    const f = fallbackNotice(round({ primary: reset, racer: pollingBlocked, to: 2, path: '/api/socket.io' }));
    expect(f.reason).toBe('websocket failed (websocket error); polling failed (xhr poll error): the http endpoint answers, falling back to http');
    expect(f.notice.message).toBe(`Socket.IO at ${url} fails over websocket and polling (websocket failed (websocket error); polling failed (xhr poll error)), while the http endpoint answers.`);
    expect(f.notice.hint).toContain('refuses the Socket.IO path /api/socket.io itself');
    expect(f.notice.hint).not.toContain('proxy_set_header Upgrade');
    expect(f.notice.details.transport).toBe('websocket');
  });

  it('polling that reached the wrong node ("Session ID unknown") while http answers: the sticky-session hint, not "path blocked"', () => {
    const sticky: TransportFailure = { kind: 'session-unknown', opened: false, reason: 'polling answered "Session ID unknown"', error: new LifelineError('UNREACHABLE', 'Session ID unknown', { url }, { hint: 'Several Socket.IO nodes need sticky sessions for polling…' }) };
    const f = fallbackNotice(round({ primary: rejected, racer: sticky, to: 2 }));
    expect(f.notice.code).toBe('UPGRADE_BLOCKED');
    expect(f.notice.hint).toBe('Several Socket.IO nodes need sticky sessions for polling…');
  });

  it('a racer that failed on the rung right below does not count as "between" when that rung connected later', () => {
    // from 0 to 1: the racer is the connected rung's own earlier failure, not a rung in between.
    const f = fallbackNotice(round({ primary: rejected, racer: pollingBlocked, to: 1 }));
    expect(f.notice).toBe(rejected.error);
    expect(f.reason).not.toContain('polling failed');
  });
});
