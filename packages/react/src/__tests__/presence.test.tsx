/** usePresence against a real Socket.IO server that sends lifeline:presence: renders members, re-renders on change only, SSR empty, unsubscribes on unmount. */
import { useRef } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { delay, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import { LifelineProvider, useChannel, usePresence } from '@lifeline/react';

const srv = joinServerPerTest({ beforeClose: cleanup });

function Viewers({ renders }: { renders: { n: number } }) {
  const members = usePresence(useChannel('ticket:1'));
  const count = useRef(0);
  count.current++;
  renders.n = count.current;
  return <p data-testid="viewers">{members.map((m) => `${m.id}:${m.connections}`).join(',') || 'nobody'}</p>;
}

describe('usePresence', () => {
  it('renders the members, re-renders when they change (not for an identical snapshot), releases on unmount', async () => {
    const client = srv.client();
    client.connect();
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    const baseline = inspectClient(client).listeners;
    const renders = { n: 0 };
    const { unmount } = render(
      <LifelineProvider client={client}>
        <Viewers renders={renders} />
      </LifelineProvider>,
    );
    await waitFor(() => srv.joins['ticket:1'] === 1, { message: 'join' });
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', members: [{ id: 'ada', data: null, connections: 1 }] });
    await waitFor(() => screen.getByTestId('viewers').textContent === 'ada:1', { message: 'ada' });
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', set: [{ id: 'bob', data: { n: 1 }, connections: 2 }], del: [] });
    await waitFor(() => screen.getByTestId('viewers').textContent === 'ada:1,bob:2', { message: 'bob' });
    const before = renders.n;
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', members: [{ id: 'ada', data: null, connections: 1 }, { id: 'bob', data: { n: 1 }, connections: 2 }] });
    await delay(150);
    expect(renders.n).toBe(before); // the same members: no new array, no render
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', set: [], del: ['ada'] });
    await waitFor(() => screen.getByTestId('viewers').textContent === 'bob:2', { message: 'ada left' });
    unmount();
    await waitFor(() => inspectClient(client).listeners === baseline, { message: 'no listeners left' });
  });

  it('renders empty on the server, without subscribing', () => {
    const client = srv.client({ autoConnect: false });
    const baseline = inspectClient(client).listeners;
    const html = renderToString(
      <LifelineProvider client={client}>
        <Viewers renders={{ n: 0 }} />
      </LifelineProvider>,
    );
    expect(html).toContain('nobody');
    expect(inspectClient(client).listeners).toBe(baseline);
  });
});
