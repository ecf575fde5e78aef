/**
 * `share` passes through the plugin untouched: two apps ("tabs") created from options with the
 * same share key use one connection, and each one's `useConnectionState()` says its role. Node's
 * BroadcastChannel carries the messages, the testkit's in-process LockManager elects.
 */
import { defineComponent, h } from 'vue';
import { cleanup, render, screen } from '@testing-library/vue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLocks, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { createLifeline, useConnectionState } from '@lifeline/vue';

const srv = joinServerPerTest({ beforeClose: cleanup });
afterEach(() => vi.unstubAllGlobals());

const Role = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const state = useConnectionState();
    return () => h('p', { 'data-testid': props.id }, `${state.value.role} ${state.value.status}`);
  },
});

describe('createLifeline(options) with share', () => {
  it('two apps with the same share key: one connection, one leader and one follower', async () => {
    vi.stubGlobal('navigator', { ...globalThis.navigator, locks: fakeLocks() });
    const options = { url: srv.server.url, transports: ['websocket' as const], share: { key: 'vue-test' } };
    render(Role, { props: { id: 'a' }, global: { plugins: [createLifeline(options)] } });
    render(Role, { props: { id: 'b' }, global: { plugins: [createLifeline(options)] } });
    await waitFor(() => [screen.getByTestId('a').textContent, screen.getByTestId('b').textContent].sort().join() === 'follower connected,leader connected', { message: 'one leader, one follower' });
    expect(srv.server.io.of('/').sockets.size).toBe(1);
  });
});
