/**
 * The hint texts are a lazily loaded chunk (hints.ts): before they load an error points to
 * docs/errors.md, `error` events and rejections wait for them, and when they cannot load the
 * error still has its code, message and the docs pointer. Each test starts from fresh modules,
 * so the texts are not loaded yet.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Errors = typeof import('../errors');
type Testing = typeof import('../testing');

async function fresh(): Promise<{ errors: Errors; testing: Testing; hints: typeof import('../hints') }> {
  vi.resetModules();
  const errors = await import('../errors');
  const testing = await import('../testing');
  // Imported apart (vi.importActual) so this test's copy does not count as loaded for `errors`.
  const hints = await vi.importActual<typeof import('../hints')>('../hints');
  return { errors, testing, hints };
}

describe('lazily loaded hints', () => {
  beforeEach(() => vi.useRealTimers());
  afterEach(() => {
    vi.doUnmock('../hints');
    vi.resetModules();
  });

  it('an error made before the texts load points to docs/errors.md, and has its full hint once they have', async () => {
    const { errors, hints } = await fresh();
    const e = new errors.LifelineError('UPGRADE_BLOCKED', 'blocked', { url: 'https://api.example.com' });
    expect(e.hint).toBe('See "UPGRADE_BLOCKED" in docs/errors.md of @lifeline/core (hints not loaded yet: `await loadHints()`).');
    expect(await errors.loadHints()).toBe(true);
    expect(e.hint).toBe(hints.HINTS.UPGRADE_BLOCKED({ url: 'https://api.example.com' }));
    expect(e.hint).toContain('proxy_set_header Upgrade');
  });

  it('the error event waits for the texts: a listener reads the full hint synchronously', async () => {
    const { errors, testing } = await fresh();
    const fakes = testing.createFakeTransports();
    const client = testing.createTestClient({ url: 'http://x.test', transports: ['websocket'] }, { factories: fakes.factories, storage: null });
    const hints: string[] = [];
    client.on('error', (e) => hints.push(e.hint));
    await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
    fakes.last('websocket')!.fail('invalid-namespace', new errors.LifelineError('INVALID_NAMESPACE', 'no /x', { namespace: '/x' }));
    // State is synchronous (lastError is there at once), the event comes with the texts.
    expect(client.getState().lastError?.code).toBe('INVALID_NAMESPACE');
    await vi.waitFor(() => expect(hints).toHaveLength(1));
    expect(hints[0]).toContain('no Socket.IO namespace "/x"');
    client.close();
  });

  it('state subscribers hear again when the texts load, so a lastError shown from state reads in full', async () => {
    const { errors, testing } = await fresh();
    const fakes = testing.createFakeTransports();
    const client = testing.createTestClient({ url: 'http://x.test', transports: ['websocket'] }, { factories: fakes.factories, storage: null });
    const hints: string[] = [];
    client.subscribeState((s) => {
      if (s.lastError) hints.push(s.lastError.hint);
    });
    await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
    fakes.last('websocket')!.fail('invalid-namespace', new errors.LifelineError('INVALID_NAMESPACE', 'no /x', { namespace: '/x' }));
    expect(hints).toEqual([expect.stringContaining('docs/errors.md')]);
    await vi.waitFor(() => expect(hints).toHaveLength(2));
    expect(hints[1]).toContain('no Socket.IO namespace "/x"');
    client.close();
  });

  it('errors reported while the texts load arrive in order', async () => {
    const { errors, testing } = await fresh();
    const fakes = testing.createFakeTransports();
    const client = testing.createTestClient({ url: 'http://x.test', transports: ['websocket'], outbox: { maxSize: 0 } }, { factories: fakes.factories, storage: null });
    const seen: string[] = [];
    client.on('error', (e) => seen.push(`${e.code}:${e.message}:${e.hint.slice(0, 18)}`));
    client.emit('a', 1); // OUTBOX_FULL (not connected, no room)
    client.emit('b', 2);
    expect(errors.hintsLoaded()).toBe(false);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    // Their messages are texts of the chunk too (SAID): made before it loaded, filled in when it did.
    expect(seen).toEqual(['OUTBOX_FULL:The outbox is full: "a" was not queued.:The offline outbox', 'OUTBOX_FULL:The outbox is full: "b" was not queued.:The offline outbox']);
    client.close();
  });

  it('a rejection carries the full hint', async () => {
    const { testing } = await fresh();
    const fakes = testing.createFakeTransports();
    const client = testing.createTestClient({ url: 'http://x.test', transports: ['websocket'] }, { factories: fakes.factories, storage: null });
    const err = (await client.emit('save', 10n, { ack: true }).catch((e: unknown) => e)) as { hint: string };
    expect(err.hint).toMatch(/turn a BigInt into a string/);
    client.close();
  });

  it('when the texts cannot load, the error event still comes, with code, message and the docs pointer; a later error tries again', async () => {
    vi.resetModules();
    let fail = true;
    vi.doMock('../hints', async () => {
      if (fail) throw new Error('Failed to fetch dynamically imported module');
      return vi.importActual('../hints');
    });
    const errors = await import('../errors');
    const testing = await import('../testing');
    const fakes = testing.createFakeTransports();
    const client = testing.createTestClient({ url: 'http://x.test', transports: ['websocket'], outbox: { maxSize: 0 } }, { factories: fakes.factories, storage: null });
    const seen: Array<{ code: string; message: string; hint: string }> = [];
    client.on('error', (e) => seen.push({ code: e.code, message: e.message, hint: e.hint }));
    client.emit('a', 1);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    // The message of a reported error is a text of the chunk too: without it, what happened and the facts.
    expect(seen[0]).toEqual({ code: 'OUTBOX_FULL', message: 'outboxFull: {"event":"a"}', hint: expect.stringContaining('"OUTBOX_FULL" in docs/errors.md') });
    expect(errors.hintsLoaded()).toBe(false);
    fail = false;
    vi.resetModules(); // a new attempt imports the module again (a browser refetches the chunk)
    client.emit('b', 2);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]!.hint).toMatch(/Raise `outbox.maxSize`/);
    expect(seen[1]!.message).toBe('The outbox is full: "b" was not queued.');
    client.close();
  });
});
