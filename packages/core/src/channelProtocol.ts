/**
 * The default `ChannelProtocol`: the Lifeline protocol over Socket.IO (PROTOCOL.md),
 * `lifeline:join {channel, cursor?}` → `{ok: true, cursor}` | `{ok: false, code}`.
 */
import { DEFAULTS, WIRE } from './constants';
import { messageOf } from './errors';
import type { ChannelProtocol, JoinResult } from './transports/types';

function parseJoinReply(reply: unknown): JoinResult {
  if (typeof reply !== 'object' || reply === null) return { ok: false, code: 'PROTOCOL', message: `unexpected join reply ${JSON.stringify(reply)}` };
  const r = reply as { ok?: unknown; cursor?: unknown; code?: unknown; message?: unknown };
  const cursor = typeof r.cursor === 'string' ? r.cursor : typeof r.cursor === 'number' ? String(r.cursor) : undefined;
  if (r.ok === true) return { ok: true, cursor };
  const code = r.code === 'FORBIDDEN' || r.code === 'CURSOR_EXPIRED' || r.code === 'LIMIT' || r.code === 'BAD_REQUEST' ? r.code : 'PROTOCOL';
  return { ok: false, code, message: typeof r.message === 'string' ? r.message : undefined, cursor };
}

/**
 * Speaks `lifeline:join` / `lifeline:leave` with acks, as `@lifeline/server` expects. Its events
 * carry their channel on the wire (`lifeline:event`); a plain `io.to(room).emit` reaches
 * `client.on` only. Channel `params` are not sent: the companion has no use for them.
 *
 * @example
 * ```ts
 * createClient({ url, channels: lifelineChannelProtocol }); // the default
 * ```
 */
export const lifelineChannelProtocol: ChannelProtocol = {
  async join(emit, channel, cursor) {
    try {
      const reply = await emit(WIRE.join, cursor === undefined ? { channel } : { channel, cursor }, DEFAULTS.ackTimeoutMs);
      return parseJoinReply(reply);
    } catch (e) {
      return { ok: false, code: 'TIMEOUT', message: messageOf(e) };
    }
  },
  async leave(emit, channel) {
    try {
      await emit(WIRE.leave, { channel }, DEFAULTS.ackTimeoutMs);
    } catch {
      /* the server forgets the room with the socket anyway */
    }
  },
  channelOf: () => undefined,
};
