/** Heap probe (run by heap.test.ts in its own process): a Lifeline client created and closed, against a plain socket.io-client. */
import { io } from 'socket.io-client';
import { createClient } from '@lifeline/core';
import { heapPerCycle, probe } from '@lifeline/testkit/heap';

const N = 5000;
const url = 'http://127.0.0.1:9';
probe(async () => ({
  lifeline: await heapPerCycle(async () => {
    const client = createClient({ url, autoConnect: false });
    client.channel('ticket:1').on('e', () => {});
    await client.close();
  }, N),
  plain: await heapPerCycle(() => io(url, { autoConnect: false, forceNew: true }).close(), N),
}));
