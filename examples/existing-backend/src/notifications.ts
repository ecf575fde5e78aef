/**
 * The app's side: a Lifeline client for the existing backend (src/backend.ts), written against
 * `@lifeline/core` only. Nothing here changes when the backend adopts `@lifeline/server` later,
 * except the options marked "without the companion" (see docs/existing-backend.md).
 */
import { createClient, type PollAdapter, type SendAdapter } from '@lifeline/core';
import { batchedChannelProtocol } from '@lifeline/core/protocols';
import type { Notification } from './backend';

/** Bearer header from the same auth payload the sockets send. */
const bearer = (auth: Readonly<Record<string, unknown>>) => ({ authorization: `Bearer ${String(auth.token)}` });

/**
 * Without the companion: the backend's own subscribe protocol. Every join of one tick (all
 * channels on connect, reconnect and switch) goes out as ONE `subscribe { channels }`, acked
 * `{ success, channels }`; `channelOf` says which channel a `notification` belongs to (the
 * server's `io.to(room).emit` carries none on the wire), so `room.on` works on every rung.
 */
export const subscribeProtocol = batchedChannelProtocol({
  async joinMany(emit, joins) {
    const ack = (await emit('subscribe', { channels: joins.map((j) => j.channel) }, 5000)) as { success?: boolean; channels?: string[] } | undefined;
    return joins.map((j) => (ack?.success && (ack.channels ?? []).includes(j.channel) ? { ok: true } : { ok: false, code: 'FORBIDDEN', message: `subscribe to "${j.channel}" was refused` }));
  },
  leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 5000)),
  channelOf: (event, [data]) => (event === 'notification' ? (data as Partial<Notification> | undefined)?.channel : undefined),
});

/** Without the companion: the backend's REST endpoint as the `http` rung. */
export function restPoll(api: string): PollAdapter {
  return async ({ cursor, channels, auth, signal }) => {
    const url = new URL('/api/v1/notifications', api);
    if (cursor !== undefined) url.searchParams.set('since', String(cursor));
    if (channels.length > 0) url.searchParams.set('channels', channels.join(','));
    const res = await fetch(url, { headers: bearer(auth), signal });
    if (!res.ok) throw res; // 401 → UNAUTHORIZED, 403 → FORBIDDEN, anything else is retried
    const body = (await res.json()) as { items: Notification[]; latest: number };
    return { events: body.items.map((n) => ({ id: n.seq, event: 'notification', data: n, channel: n.channel })), cursor: body.latest };
  };
}

/** Without the companion: emits the backend has a REST route for, so acks work on the `http` rung too. */
export function restSend(api: string): SendAdapter {
  return async (event, data, { auth, signal }) => {
    if (event !== 'comment:add') throw new Error(`no REST route for "${event}"`);
    const res = await fetch(new URL('/api/v1/comments', api), { method: 'POST', headers: { ...bearer(auth), 'content-type': 'application/json' }, body: JSON.stringify(data), signal });
    if (!res.ok) throw res;
    return res.json(); // the same reply the socket handler acks with
  };
}

export interface NotificationsOptions {
  readonly url: string;
  readonly getToken: () => string | Promise<string>;
  /** Say where each event sits in the backend's sequence (default: on). */
  readonly cursorOf?: boolean;
  /** Passed through to createClient (tests use shorter delays). */
  readonly reconnect?: Parameters<typeof createClient>[0]['reconnect'];
  readonly upgradeIntervalMs?: number | false;
  readonly autoConnect?: boolean;
}

export function createNotificationsClient({ url, getToken, cursorOf = true, ...rest }: NotificationsOptions) {
  return createClient({
    url,
    namespace: '/api/v1/ws',
    auth: async () => ({ token: await getToken() }),
    channels: subscribeProtocol,
    http: { poll: restPoll(url), send: restSend(url), intervalMs: 1000 },
    // The backend's own sequence number: the REST endpoint's `since`.
    ...(cursorOf ? { cursorOf: (_event: string, data: unknown) => (data as Partial<Notification> | null)?.seq } : {}),
    ...rest,
  });
}
