import { describe, expect, it } from 'vitest';
import { authHeaders, classifyAnswer, earliest, parsePollBody, pollUrl, retryAfterMs } from './httpProtocol';

const URL_ = 'http://h/lifeline/poll';
const JSON_ = 'application/json; charset=utf-8';

describe('classifyAnswer', () => {
  it.each([
    [200, JSON_, '{"events":[],"cursor":"1"}', 'ok'],
    [401, JSON_, '{"error":"UNAUTHORIZED","message":"unauthorized"}', 'unauthorized'],
    [403, JSON_, '{"error":"FORBIDDEN","channel":"a"}', 'forbidden'],
    [410, JSON_, '{"error":"CURSOR_EXPIRED","cursor":"9"}', 'expired'],
    [429, 'text/plain', 'slow down', 'retry-after'],
    [500, JSON_, '{"error":"HANDLER_ERROR","message":"x"}', 'handler-error'],
    [503, JSON_, '{"error":"CLOSED"}', 'unreachable'],
    [502, 'text/html', '<html>Bad Gateway</html>', 'unreachable'], // a proxy's error page: the backend is down
    [504, 'text/html', '<html>Gateway Timeout</html>', 'unreachable'],
    [404, 'text/html', '<html>Not Found</html>', 'protocol'],
    [200, 'text/html', '<!doctype html><div id=root>', 'protocol'],
    [200, JSON_, 'not json', 'protocol'],
    [502, null, '', 'unreachable'],
    [400, JSON_, '{"error":"BAD_REQUEST"}', 'bad-input'],
    [400, JSON_, '{"error":"LIMIT","max":100}', 'refused'],
    [400, JSON_, '{"error":"BAD_REQUEST","channel":"a\\u0000b"}', 'refused'],
    [408, JSON_, '{"error":"REQUEST_TIMEOUT","timeoutMs":10000}', 'unreachable'],
    [404, JSON_, '{"error":"UNKNOWN_EVENT","event":"x"}', 'bad-input'],
  ])('%i %s %s → %s', (status, type, body, kind) => {
    expect(classifyAnswer(status, type, body, null, URL_).kind).toBe(kind);
  });

  it('a PROTOCOL error carries the status and the first bytes of the body', () => {
    const a = classifyAnswer(200, 'text/html', `<html>${'x'.repeat(500)}`, null, URL_);
    expect(a).toMatchObject({ kind: 'protocol', error: { code: 'PROTOCOL', details: { status: 200, url: URL_ } } });
    expect(a.kind === 'protocol' && a.error.details.bodySnippet).toHaveLength(200);
  });

  it('a 403 names the channel; a 410 carries the cursor to resume from', () => {
    expect(classifyAnswer(403, JSON_, '{"channel":"ticket:1","message":"no"}', null, URL_)).toMatchObject({ channel: 'ticket:1', error: { code: 'FORBIDDEN', details: { channel: 'ticket:1' } } });
    expect(classifyAnswer(410, JSON_, '{"cursor":"77"}', null, URL_)).toMatchObject({ cursor: '77' });
  });
});

describe('helpers', () => {
  it('Retry-After in seconds or as a date, bounded', () => {
    expect(retryAfterMs('2', 1000)).toBe(2000);
    expect(retryAfterMs(null, 1000)).toBe(1000);
    expect(retryAfterMs('soon', 1000)).toBe(1000);
    expect(retryAfterMs('99999', 1000)).toBe(60_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 1000, 60_000, 7_000)).toBe(3000);
  });

  it('poll URLs carry channels, cursor and wait — never credentials', () => {
    expect(pollUrl('http://h/lifeline/', ['a', 'ticket:42'], '17', 25)).toBe('http://h/lifeline/poll?channels=a,ticket%3A42&cursor=17&wait=25');
    expect(pollUrl('http://h/x', [], undefined, 0)).toBe('http://h/x/poll?channels=&wait=0');
  });

  it('auth goes in Authorization and Lifeline-Auth (base64url JSON)', () => {
    const h = authHeaders({ token: 't', tenant: 'ü/?' });
    expect(h.authorization).toBe('Bearer t');
    expect(JSON.parse(Buffer.from(h['lifeline-auth']!, 'base64url').toString('utf8'))).toEqual({ token: 't', tenant: 'ü/?' });
    expect(h['lifeline-auth']).not.toMatch(/[+/=]/);
    expect(authHeaders({})).toEqual({});
  });

  it('earliest picks the numerically smallest cursor', () => {
    expect(earliest([undefined, '10', '9'])).toBe('9');
    expect(earliest(['1700000000000-12', '1700000000000-3'])).toBe('1700000000000-3');
    expect(earliest([undefined])).toBeUndefined();
  });

  it('parsePollBody rejects shapes that are not { events, cursor }', () => {
    expect(parsePollBody({ events: [{ id: '1', channel: 'c', event: 'e', data: 1 }], cursor: '1' })).toEqual({ events: [{ id: '1', channel: 'c', event: 'e', data: 1 }], cursor: '1' });
    expect(parsePollBody({ events: 'nope' })).toBeUndefined();
    expect(parsePollBody({ events: [{ id: 1, event: 'e' }] })).toBeUndefined();
  });
});
