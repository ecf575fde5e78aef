import { memoryStore } from '@lifeline/server';
import { describe, expect, it } from 'vitest';
import { storeContract } from './storeContract';

storeContract('memoryStore', async (maxEvents) => memoryStore({ maxEvents }));

describe('memoryStore', () => {
  it('counts ids "1", "2", … as decimal strings', async () => {
    const store = memoryStore();
    expect((await store.append({ channel: 'c', event: 'e', data: null })).id).toBe('1');
    expect((await store.append({ channel: 'c', event: 'e', data: null })).id).toBe('2');
    expect(await store.latest()).toBe('2');
  });

  it('refuses a nonsensical maxEvents with a readable error', () => {
    expect(() => memoryStore({ maxEvents: 0 })).toThrow(/maxEvents must be a positive integer/);
  });
});
