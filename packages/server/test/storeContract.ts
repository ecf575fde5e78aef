/** The EventStore contract: every store must pass these (memory and Redis run the same suite). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { CursorExpiredError, compareIds, createLifeline, isEventId, type EventStore } from '@lifeline/server';

/** Data JSON cannot encode: each would make a later poll answer 500 or a socket delivery throw. */
export const NOT_JSON: ReadonlyArray<[string, unknown]> = [
  ['a BigInt', { total: 10n }],
  ['a cyclic object', (() => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  })()],
  ['a function', () => 1],
  ['a symbol', Symbol('s')],
  ['a throwing toJSON', { toJSON: () => { throw new Error('nope'); } }],
];

export function storeContract(name: string, make: (maxEvents: number) => Promise<EventStore>) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await make(5);
      return () => store.close?.();
    });

    it('starts empty: latest is a zero cursor, oldest undefined, readAfter(latest) is empty', async () => {
      const zero = await store.latest();
      expect(isEventId(zero)).toBe(true);
      expect(await store.oldest()).toBeUndefined();
      expect(await store.readAfter(zero, 10)).toEqual([]);
    });

    it('appends with strictly increasing ids and reads after a cursor in order', async () => {
      const zero = await store.latest();
      const a = await store.append({ channel: 'c', event: 'e', data: { n: 1 } });
      const b = await store.append({ channel: 'd', event: 'e', data: [2] });
      const c = await store.append({ channel: 'c', event: 'f', data: 'three' });
      expect(compareIds(a.id, b.id)).toBeLessThan(0);
      expect(compareIds(b.id, c.id)).toBeLessThan(0);
      expect(await store.latest()).toBe(c.id);
      expect(await store.oldest()).toBe(a.id);
      expect(await store.readAfter(zero, 10)).toEqual([a, b, c]);
      expect(await store.readAfter(a.id, 10)).toEqual([b, c]);
      expect(await store.readAfter(a.id, 1)).toEqual([b]);
      expect(await store.readAfter(c.id, 10)).toEqual([]);
      expect(b.data).toEqual([2]);
    });

    it('keeps only maxEvents; a cursor before the kept window is CURSOR_EXPIRED', async () => {
      const zero = await store.latest();
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await store.append({ channel: 'c', event: 'e', data: i })).id);
      expect(await store.oldest()).toBe(ids[3]);
      expect((await store.readAfter(ids[2]!, 10)).map((e) => e.data)).toEqual([3, 4, 5, 6, 7]);
      await expect(store.readAfter(ids[1]!, 10)).rejects.toBeInstanceOf(CursorExpiredError);
      await expect(store.readAfter(zero, 10)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED', details: { cursor: ids[7] } });
    });

    it('readBefore: newest first, strictly before `before` (the end when undefined), only what the log keeps', async () => {
      const zero = await store.latest();
      expect(await store.readBefore!(undefined, 10)).toEqual([]);
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await store.append({ channel: i % 2 ? 'odd' : 'even', event: 'e', data: i })).id);
      expect((await store.readBefore!(undefined, 3)).map((e) => e.data)).toEqual([7, 6, 5]);
      expect((await store.readBefore!(ids[6], 2)).map((e) => e.data)).toEqual([5, 4]);
      expect((await store.readBefore!(ids[5], 10)).map((e) => e.data)).toEqual([4, 3]); // 0–2 were trimmed
      expect(await store.readBefore!(ids[3], 10)).toEqual([]);
      expect(await store.readBefore!(zero, 10)).toEqual([]);
    });

    it('refuses data JSON cannot encode with a BAD_REQUEST LifelineServerError and a hint, and logs nothing', async () => {
      const before = await store.latest();
      for (const [what, data] of NOT_JSON) {
        await expect(store.append({ channel: 'c', event: 'e', data }), what).rejects.toMatchObject({
          name: 'LifelineServerError',
          code: 'BAD_REQUEST',
          message: expect.stringMatching(/data is not JSON-serializable \(.+\)\. Pass plain JSON data/),
          details: { channel: 'c', event: 'e' },
        });
      }
      expect(await store.latest()).toBe(before);
      expect(await store.readAfter(before, 10)).toEqual([]);
    });

    it('publish() encodes the data once, however the store logs it (the store reuses the encoding)', async () => {
      const io = new Server(); // never attached: a namespace to attach to, nothing to close
      const lifeline = createLifeline(io.of('/'), { store });
      const zero = await store.latest();
      const stringify = vi.spyOn(JSON, 'stringify');
      try {
        await lifeline.publish('c', 'e', { text: 'hi', n: [1, 2, 3] });
        await store.append({ channel: 'c', event: 'e', data: { n: 2 } }, '{"n":2}');
        expect(stringify).toHaveBeenCalledTimes(1);
        // The reused encoding is the data's own: the log reads back what was published.
        expect((await store.readAfter(zero, 10)).map((e) => e.data)).toEqual([{ text: 'hi', n: [1, 2, 3] }, { n: 2 }]);
      } finally {
        stringify.mockRestore();
        await lifeline.close();
      }
    });

    it('a cursor after anything ever written (log reset) is CURSOR_EXPIRED', async () => {
      await store.append({ channel: 'c', event: 'e', data: 1 });
      // Well-formed (isEventId) cursors beyond what any store can write, e.g. past 64-bit stream ids.
      for (const cursor of ['99999999999999-9', '99999999999999999999', '99999999999999-99999999999999999999', '18446744073709551615-18446744073709551615']) {
        expect(isEventId(cursor)).toBe(true);
        await expect(store.readAfter(cursor, 10), cursor).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
      }
    });

    it('a cursor of an earlier log (a restart, a new key, FLUSHDB) is CURSOR_EXPIRED, resuming from the start of this log: every event it keeps reaches the reader', async () => {
      const earlier = await make(5);
      try {
        for (let i = 0; i < 3; i++) await earlier.append({ channel: 'c', event: 'old', data: i });
        const stale = await earlier.latest();
        // Redis ids are times: two logs written in the same millisecond can share an id, which no
        // store can tell apart. A log that starts over is written later than that.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const fresh = [await store.append({ channel: 'c', event: 'new', data: 1 }), await store.append({ channel: 'c', event: 'new', data: 2 })];
        const refusal = await store.readAfter(stale, 10).then(() => undefined, (e: unknown) => e);
        expect(refusal).toBeInstanceOf(CursorExpiredError);
        const resume = String((refusal as CursorExpiredError).details.cursor);
        expect(await store.readAfter(resume, 10)).toEqual(fresh);
        // An old cursor (events after it dropped) still resumes from the latest id.
        for (let i = 0; i < 6; i++) await store.append({ channel: 'c', event: 'more', data: i });
        await expect(store.readAfter(fresh[0]!.id, 10)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED', details: { cursor: await store.latest() } });
      } finally {
        await earlier.close?.();
      }
    });
  });
}
