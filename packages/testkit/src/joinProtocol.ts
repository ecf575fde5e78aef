/**
 * The server side of the Lifeline join protocol, minimally (shared/design/PROTOCOL.md):
 * `lifeline:join` puts the socket in the channel's room and acks a cursor, `lifeline:leave` takes it
 * out; both are counted per channel. No log, no replay, no auth: the fixture the join server and
 * core's integration rigs build on.
 */
import { WIRE, type JoinAnswer, type JoinRequest, type LeaveAnswer } from '@lifeline/core/protocol';
import type { Server } from 'socket.io';

export interface JoinCounts {
  /** `lifeline:join` requests per channel. */
  readonly joins: Record<string, number>;
  /** `lifeline:leave` requests per channel. */
  readonly leaves: Record<string, number>;
}

export interface JoinProtocolOptions {
  /** The cursor a join without one is acked with ("start from here"). @default () => '0' */
  cursor?: () => string;
  /** Where to count (e.g. records that outlive a server restart). @default fresh records */
  counts?: JoinCounts;
}

/**
 * Answers `lifeline:join` (`{ ok: true, cursor }`: the one asked for, else `options.cursor()`) and
 * `lifeline:leave` (`{ ok: true }`) on every connection of `io`'s main namespace.
 *
 * @example
 * ```ts
 * const server = await startServer({ setup: (io) => void serveJoins(io) });
 * ```
 */
export function serveJoins(io: Server, { cursor: start = () => '0', counts = { joins: {}, leaves: {} } }: JoinProtocolOptions = {}): JoinCounts {
  const { joins, leaves } = counts;
  io.on('connection', (socket) => {
    socket.on(WIRE.join, ({ channel, cursor }: JoinRequest, ack: (r: JoinAnswer) => void) => {
      joins[channel] = (joins[channel] ?? 0) + 1;
      void socket.join(channel);
      ack({ ok: true, cursor: cursor ?? start() });
    });
    socket.on(WIRE.leave, ({ channel }: { channel: string }, ack?: (r: LeaveAnswer) => void) => {
      leaves[channel] = (leaves[channel] ?? 0) + 1;
      void socket.leave(channel);
      ack?.({ ok: true });
    });
  });
  return counts;
}
