import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../args';

describe('parseCliArgs', () => {
  it('maps every flag onto diagnose options', () => {
    expect(parseCliArgs(['https://api.example.com', '--namespace', '/notifications', '--path', '/api/socket.io', '--token', 'T', '--http', '/lifeline', '--timeout', '800', '--json'])).toEqual({
      kind: 'run',
      json: true,
      options: { url: 'https://api.example.com', namespace: '/notifications', path: '/api/socket.io', token: 'T', http: '/lifeline', timeoutMs: 800 },
    });
    expect(parseCliArgs(['--namespace=/x', 'http://localhost:3000'])).toEqual({ kind: 'run', json: false, options: { url: 'http://localhost:3000', namespace: '/x' } });
    expect(parseCliArgs(['https://localhost:8443', '--insecure'])).toEqual({ kind: 'run', json: false, options: { url: 'https://localhost:8443', insecure: true } });
  });

  it('asks for help', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['https://x.example', '--help'])).toEqual({ kind: 'help' });
  });

  it.each<[string[], RegExp]>([
    [[], /^missing <url>/],
    [['a', 'b'], /^one URL at a time; unexpected argument "b"/],
    [['example.com'], /not an absolute URL/],
    [['ftp://example.com'], /uses ftp:/],
    [['https://x.example', '--bogus'], /^unknown option --bogus$/],
    [['https://x.example', '--timeout'], /^--timeout needs a value$/],
    [['https://x.example', '--timeout', '1.5s'], /^--timeout must be a whole number of milliseconds/],
    [['https://x.example', '--timeout', '0'], /^--timeout must be/],
    [['https://x.example', '--namespace', 'notifications'], /^--namespace must start with "\/": --namespace \/notifications$/],
    [['https://x.example', '--path', 'socket.io'], /^--path must start with "\/"/],
    [['https://x.example', '--http', 'lifeline'], /^--http must be a URL/],
    [['https://x.example', '--token', ''], /^--token is empty$/],
  ])('rejects %j with a clear message', (argv, message) => {
    const r = parseCliArgs(argv);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(message);
  });
});
