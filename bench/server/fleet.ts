/**
 * Many clients in this process, counted: raw socket.io-client sockets or Lifeline clients,
 * connected in batches so the 2 cores are not asked for everything at once.
 */
import { io } from 'socket.io-client';
import { waitFor } from '@lifeline/testkit';
import type { Child } from '../lib/child';
import type { CoreModule } from '../lib/lifeline';

export interface Member {
  /** Join `channel`; every `tick` delivered on it bumps the fleet's counter. */
  join(channel: string): void;
  close(): void;
}

export interface Fleet {
  readonly members: Member[];
  /** Ticks delivered to any member so far. */
  delivered(): number;
  close(): void;
}

export type MemberFactory = (bump: () => void) => Member;

/** Raw socket.io-client on the given transports; joins with the bench's `raw:join` event. */
export function rawMember(url: string, transports: ('websocket' | 'polling')[]): MemberFactory {
  return (bump) => {
    const socket = io(url, { forceNew: true, transports });
    socket.on('tick', bump);
    return { join: (channel) => socket.emit('raw:join', channel), close: () => socket.close() };
  };
}

/** A Lifeline client with `options` (defaults otherwise); joins with `client.channel()`. */
export function lifelineMember(core: CoreModule, url: string, options: Record<string, unknown> = {}): MemberFactory {
  return (bump) => {
    const client = core.createClient({ url, ...options });
    client.on('error', () => {});
    return { join: (channel) => void client.channel(channel).on('tick', bump), close: () => client.close() };
  };
}

/**
 * Creates `count` members in batches of `batch`; after each batch waits until `ready(n)` says
 * the server sees them all.
 */
export async function launch(factory: MemberFactory, count: number, ready: (n: number) => Promise<boolean>, batch = 100): Promise<Fleet> {
  let delivered = 0;
  const bump = () => {
    delivered++;
  };
  const members: Member[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const m of members) m.close();
  };
  const fleet: Fleet = { members, delivered: () => delivered, close };
  try {
    while (members.length < count) {
      const n = Math.min(batch, count - members.length);
      for (let i = 0; i < n; i++) members.push(factory(bump));
      await waitFor(() => ready(members.length), { timeoutMs: 30_000, intervalMs: 50, message: `${members.length} clients connected` });
    }
  } catch (e) {
    fleet.close();
    throw e;
  }
  return fleet;
}

/** Server-side counters from the child. */
export interface ServerStats {
  readonly sockets: number;
  /** Of `sockets`, how many are on WebSocket now. */
  readonly websocket: number;
  readonly engine: number;
  readonly waitingPolls: number;
}

export const stats = (child: Child) => child.request<ServerStats>({ cmd: 'stats' });
