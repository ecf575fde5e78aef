/** The probes' pure halves: what each answer on the wire means. The I/O halves are covered by test/. */
import { describe, expect, it } from 'vitest';
import { classifyPoll } from '../probes/companion';
import { classifyLookup } from '../probes/dns';
import { classifyHandshake } from '../probes/http';
import { classifyNamespace } from '../probes/namespace';
import { classifyTls, type CertificateInfo } from '../probes/tls';
import { checkUrl } from '../probes/url';
import { classifyUpgrade } from '../probes/websocket';

const res = (status: number, body: string, headers: Record<string, string> = {}) => ({ kind: 'response', status, body, headers }) as const;

describe('checkUrl', () => {
  it('resolves origin, default port, path and namespace; maps ws(s) to http(s)', () => {
    expect(checkUrl({ url: 'wss://api.example.com' }).target).toMatchObject({ origin: 'https://api.example.com', port: 443, path: '/socket.io', namespace: '/' });
    expect(checkUrl({ url: 'http://[::1]:3000', path: '/rt/', http: '/lifeline' }).target).toMatchObject({ host: '::1', port: 3000, path: '/rt', http: 'http://[::1]:3000/lifeline' });
  });

  it('takes a URL path as the namespace, as socket.io-client does, unless --namespace is given', () => {
    expect(checkUrl({ url: 'https://x.example/api/' }).target).toMatchObject({ namespace: '/api', urlPath: '/api' });
    const given = checkUrl({ url: 'https://x.example/api', namespace: '/chat' });
    expect(given.target?.namespace).toBe('/chat');
    expect(given.result.finding).not.toMatch(/asks for namespace/);
  });

  it('is broken for a URL it cannot use', () => {
    expect(checkUrl({ url: 'localhost:3000' }).result).toMatchObject({ status: 'broken', code: 'BAD_INPUT' });
    expect(checkUrl({ url: 'localhost:3000' }).target).toBeUndefined();
  });
});

describe('classifyHandshake', () => {
  const url = 'https://x.example/socket.io/?EIO=4&transport=polling';
  it.each([
    ['a handshake', res(200, '0{"sid":"s1","upgrades":["websocket"],"pingInterval":25000}'), 'ok', undefined, /answered 200 \(sid s1\)$/],
    ['a handshake without upgrades', res(200, '0{"sid":"s1","upgrades":[]}'), 'ok', undefined, /offers no WebSocket upgrade/],
    ['an SPA fallback', res(200, '<!doctype html><html>app</html>', { 'content-type': 'text/html' }), 'broken', 'answered', /200 with an HTML page: "<!doctype html>/],
    ['a 404', res(404, 'Cannot GET /socket.io/'), 'broken', 'answered', /404: "Cannot GET \/socket\.io\/": no Socket\.IO server at path "\/socket\.io"/],
    ['a gateway timeout', res(504, '<html>504</html>'), 'broken', 'unreachable', /answered 504.*backend behind it is down/],
    ['polling disabled on the server', res(400, '{"code":0,"message":"Transport unknown"}'), 'broken', 'answered', /does not allow polling/],
    ['a Socket.IO v2 server', res(400, '{"code":5,"message":"Unsupported protocol version"}'), 'broken', 'answered', /older Engine\.IO/],
    ['a WAF page', res(403, '<html>Blocked</html>', { 'content-type': 'text/html' }), 'broken', 'answered', /403 with an HTML page/],
    ['no answer', { kind: 'timeout' } as const, 'broken', 'unreachable', /no answer within 900 ms/],
    ['a refused connection', { kind: 'error', code: 'ECONNREFUSED', message: 'x' } as const, 'broken', 'unreachable', /nothing listening/],
  ])('%s', (_name, outcome, status, failure, finding) => {
    const c = classifyHandshake(outcome, url, 900);
    expect(c.result.status).toBe(status);
    expect(c.failure).toBe(failure);
    expect(c.result.finding).toMatch(finding);
    if (status === 'broken') expect(c.result.hint).toBeTruthy();
  });

  it('never claims CORS (a browser rule Node cannot check)', () => {
    for (const o of [res(403, 'Forbidden'), res(400, '{"code":3,"message":"Bad request"}'), res(200, '<html></html>')]) {
      const c = classifyHandshake(o, url, 900);
      expect(`${c.result.finding} ${c.result.hint}`).not.toMatch(/cors/i);
    }
  });
});

describe('classifyUpgrade', () => {
  const url = 'wss://x.example/socket.io/?EIO=4&transport=websocket';
  it.each([
    ['101', { kind: 'switched', accepted: true } as const, 'ok', undefined, /101 Switching Protocols/],
    ['101 with a wrong accept key', { kind: 'switched', accepted: false } as const, 'broken', 'UPGRADE_BLOCKED', /wrong Sec-WebSocket-Accept/],
    ['Engine.IO 400 (headers stripped)', res(400, '{"code":3,"message":"Bad request"}'), 'broken', 'UPGRADE_BLOCKED', /without its Upgrade\/Connection headers/],
    ['Engine.IO 400 (WebSocket not allowed)', res(400, '{"code":0,"message":"Transport unknown"}'), 'broken', 'UPGRADE_BLOCKED', /Socket\.IO itself does not allow WebSocket/],
    ['a proxy 400', res(400, 'Bad Request'), 'broken', 'UPGRADE_BLOCKED', /Unexpected server response: 400/],
    ['a 403 page', res(403, '<html>no</html>'), 'broken', 'UPGRADE_BLOCKED', /refuses it/],
    ['a reset', { kind: 'error', code: 'ECONNRESET', message: 'socket hang up' } as const, 'broken', 'UPGRADE_BLOCKED', /connection reset/],
    ['a black hole', { kind: 'timeout' } as const, 'broken', 'TIMEOUT', /no answer within 800 ms/],
  ])('%s', (_name, outcome, status, code, finding) => {
    const r = classifyUpgrade(outcome, url, 800);
    expect(r).toMatchObject({ layer: 'websocket', status });
    expect(r.code).toBe(code);
    expect(r.finding).toMatch(finding);
    if (status === 'broken') expect(r.hint).toMatch(/polling/);
  });
});

describe('classifyNamespace', () => {
  const ctx = { namespace: '/chat', transport: 'polling', tokenGiven: false, timeoutMs: 900 };
  it.each([
    ['connected', { kind: 'connected' } as const, 'ok', undefined],
    ['Invalid namespace', { kind: 'connect_error', message: 'Invalid namespace', transportError: false } as const, 'broken', 'INVALID_NAMESPACE'],
    ['jwt expired', { kind: 'connect_error', message: 'jwt expired', transportError: false } as const, 'broken', 'UNAUTHORIZED'],
    ['forbidden', { kind: 'connect_error', message: 'forbidden', transportError: false } as const, 'broken', 'FORBIDDEN'],
    ['another middleware error', { kind: 'connect_error', message: 'maintenance', transportError: false } as const, 'broken', 'PROTOCOL'],
    ['a transport error', { kind: 'connect_error', message: 'xhr poll error', transportError: true, description: '502' } as const, 'broken', 'UNREACHABLE'],
    ['no CONNECT ack', { kind: 'timeout' } as const, 'broken', 'TIMEOUT'],
  ])('%s', (_name, outcome, status, code) => {
    const r = classifyNamespace(outcome, ctx);
    expect(r.status).toBe(status);
    expect(r.code).toBe(code);
  });
});

describe('classifyPoll', () => {
  const ctx = { url: 'https://x.example/lifeline/poll?wait=0', base: 'https://x.example/lifeline', tokenGiven: true, timeoutMs: 900 };
  const json = { 'content-type': 'application/json; charset=utf-8' };
  it.each([
    ['a poll', res(200, '{"events":[],"cursor":"0"}', json), 'ok', undefined, /200 with a Lifeline poll/],
    ['an SPA page', res(200, '<!doctype html>', { 'content-type': 'text/html' }), 'broken', 'PROTOCOL', /HTML page/],
    ['401', res(401, '{"error":"UNAUTHORIZED"}', json), 'broken', 'UNAUTHORIZED', /401/],
    ['403', res(403, '{"error":"FORBIDDEN"}', json), 'broken', 'FORBIDDEN', /403/],
    ['404', res(404, '{"error":"not found"}', json), 'broken', 'PROTOCOL', /not mounted at https:\/\/x\.example\/lifeline/],
    ['a proxy 502', res(502, '<html>bad gateway</html>'), 'broken', 'UNREACHABLE', /502/],
    ['a non-JSON 500', res(500, 'oops'), 'broken', 'PROTOCOL', /non-JSON: "oops"/],
  ])('%s', (_name, outcome, status, code, finding) => {
    const r = classifyPoll(outcome, ctx);
    expect(r.status).toBe(status);
    expect(r.code).toBe(code);
    expect(r.finding).toMatch(finding);
  });
});

describe('classifyLookup', () => {
  it.each([
    ['an IP address', { kind: 'ip' } as const, 'ok', undefined, /nothing to resolve/],
    ['a resolved name', { kind: 'resolved', addresses: ['10.0.0.1', '::1'] } as const, 'ok', undefined, /resolves to 10\.0\.0\.1, ::1/],
    ['ENOTFOUND', { kind: 'error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' } as const, 'broken', 'UNREACHABLE', /does not resolve \(ENOTFOUND/],
    ['EAI_AGAIN', { kind: 'error', code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN' } as const, 'broken', 'UNREACHABLE', /EAI_AGAIN: the DNS resolver could not answer/],
    ['a resolver that never answers', { kind: 'timeout' } as const, 'broken', 'TIMEOUT', /no answer within 700 ms/],
  ])('%s', (_name, outcome, status, code, finding) => {
    const r = classifyLookup(outcome, 'api.exmaple.com', 700);
    expect(r).toMatchObject({ layer: 'dns', status });
    expect(r.code).toBe(code);
    expect(r.finding).toMatch(finding);
    if (status === 'broken') for (const what of [/typo/, /VPN/, /\/etc\/hosts/]) expect(r.hint).toMatch(what);
  });
});

describe('classifyTls', () => {
  const cert: CertificateInfo = { subject: 'api.example.com', issuer: 'R11', names: ['api.example.com', 'www.example.com'], validFrom: 'Jan  1 00:00:00 2026 GMT', validTo: 'Apr  1 00:00:00 2026 GMT' };
  const ctx = { where: 'api.example.com:443', host: 'api.example.com', timeoutMs: 900, insecure: false };
  const secure = (authorizationError?: string) => ({ kind: 'secure', protocol: 'TLSv1.3', cert, ...(authorizationError ? { authorizationError } : {}) }) as const;
  it.each([
    ['a verified certificate', secure(), 'ok', /TLSv1\.3, certificate for "api\.example\.com" issued by "R11", valid until Apr {2}1 00:00:00 2026 GMT: verified/, undefined],
    ['self-signed', secure('DEPTH_ZERO_SELF_SIGNED_CERT'), 'broken', /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/, /Let's Encrypt/],
    ['a self-signed root', secure('SELF_SIGNED_CERT_IN_CHAIN'), 'broken', /self-signed root/, /NODE_EXTRA_CA_CERTS/],
    ['expired', secure('CERT_HAS_EXPIRED'), 'broken', /expired on Apr {2}1 00:00:00 2026 GMT \(CERT_HAS_EXPIRED\)/, /Renew it/],
    ['not yet valid', secure('CERT_NOT_YET_VALID'), 'broken', /not valid before Jan {2}1/, /clock/],
    ['for another host', secure('ERR_TLS_CERT_ALTNAME_INVALID'), 'broken', /is for api\.example\.com, www\.example\.com, not for "api\.example\.com" \(host name mismatch\)/, /subjectAltName/],
    ['a missing intermediate', secure('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'broken', /does not chain to a trusted CA \(issuer "R11"\)/, /fullchain\.pem/],
    ['plain HTTP on the port', { kind: 'error', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' } as const, 'broken', /does not speak TLS/, /Use http:\/\//],
    ['a silent port', { kind: 'timeout' } as const, 'broken', /no TLS handshake from api\.example\.com:443 within 900 ms/, /serves https/],
  ])('%s', (_name, outcome, status, finding, hint) => {
    const r = classifyTls(outcome, ctx);
    expect(r.status).toBe(status);
    expect(r.finding).toMatch(finding);
    if (hint) expect(r.hint).toMatch(hint);
  });

  it('says when the certificate was not verified and does not suggest --insecure again', () => {
    const r = classifyTls(secure('DEPTH_ZERO_SELF_SIGNED_CERT'), { ...ctx, insecure: true });
    expect(r.finding).toMatch(/not verified \(--insecure\): the layers below were checked anyway/);
    expect(r.hint).not.toMatch(/--insecure/);
    expect(classifyTls(secure('DEPTH_ZERO_SELF_SIGNED_CERT'), ctx).hint).toMatch(/run the doctor again with --insecure/);
  });
});
