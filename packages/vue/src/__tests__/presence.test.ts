/** usePresence (Vue) against a real Socket.IO server that sends lifeline:presence: follows the members, empty on the server, released with the scope. */
import { defineComponent, h } from 'vue';
import { cleanup, render, screen } from '@testing-library/vue';
import { renderToString } from 'vue/server-renderer';
import { createSSRApp } from 'vue';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import { createLifeline, useChannel, usePresence } from '@lifeline/vue';

const srv = joinServerPerTest({ beforeClose: cleanup });

const Viewers = defineComponent(() => {
  const members = usePresence(useChannel('ticket:1'));
  return () => h('p', { 'data-testid': 'viewers' }, members.value.map((m) => `${m.id}:${m.connections}`).join(',') || 'nobody');
});

describe('usePresence (vue)', () => {
  it('follows the members and releases its listener with the component', async () => {
    const client = srv.client();
    client.connect();
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    const baseline = inspectClient(client).listeners;
    const { unmount } = render(Viewers, { global: { plugins: [createLifeline(client)] } });
    await waitFor(() => srv.joins['ticket:1'] === 1, { message: 'join' });
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', members: [{ id: 'ada', data: null, connections: 1 }] });
    await waitFor(() => screen.getByTestId('viewers').textContent === 'ada:1', { message: 'ada' });
    srv.broadcast('lifeline:presence', { channel: 'ticket:1', set: [{ id: 'bob', data: null, connections: 1 }], del: ['ada'] });
    await waitFor(() => screen.getByTestId('viewers').textContent === 'bob:1', { message: 'bob' });
    unmount();
    await waitFor(() => inspectClient(client).listeners === baseline, { message: 'no listeners left' });
  });

  it('is empty on the server', async () => {
    const client = srv.client({ autoConnect: false });
    const app = createSSRApp(Viewers);
    app.use(createLifeline(client));
    expect(await renderToString(app)).toContain('nobody');
  });
});
