/** Heap probe (run by ssrHeap.test.ts in its own process): server renders with and without the provider's owned client. */
import type { LifelineClient } from '@lifeline/core';
import { renderToString } from 'react-dom/server';
import { LifelineProvider, useChannel, useConnectionState, useLatest } from '@lifeline/react';
import { heapPerCycle, probe } from '@lifeline/testkit/heap';

const N = 3000;
function Page() {
  const state = useConnectionState();
  const room = useChannel('ticket:1');
  // The client type is named: which Register augmentation is in the program depends on the tsconfig (the examples' at the root, the type tests' in the package).
  const tick = useLatest<LifelineClient, 'comment:added'>('comment:added');
  return <p>{`${state.status}|${room ? 'joined' : 'none'}|${String(tick ?? '-')}`}</p>;
}

probe(async () => ({
  withProvider: await heapPerCycle(() => renderToString(<LifelineProvider options={{ url: 'http://127.0.0.1:9' }}><Page /></LifelineProvider>), N),
  without: await heapPerCycle(() => renderToString(<p>idle|none|-</p>), N),
}));
