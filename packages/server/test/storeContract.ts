/** The EventStore contract: every store must pass these (memory and Redis run the same suite). */
import { beforeEach, describe, expect, it } from 'vitest';
import { CursorExpiredError, compareIds, isEventId, type EventStore } from '@lifeline/server';

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

    it('a cursor after anything ever written (log reset) is CURSOR_EXPIRED', async () => {
      await store.append({ channel: 'c', event: 'e', data: 1 });
      // Well-formed (isEventId) cursors beyond what any store can write, e.g. past 64-bit stream ids.
      for (const cursor of ['99999999999999-9', '99999999999999999999', '99999999999999-99999999999999999999', '18446744073709551615-18446744073709551615']) {
        expect(isEventId(cursor)).toBe(true);
        await expect(store.readAfter(cursor, 10), cursor).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
      }
    });
  });
}
