/**
 * The clients Lifeline is compared with, each written the way an app would write it:
 * raw socket.io-client (defaults, websocket-only, tryAllTransports) and the hand-written
 * "3 WebSocket tries, then fetch every 3 s" fallback from a real production note
 * (shared/seeds/002: "Intenta conectar WebSocket primero (máx 3 intentos). Si falla →
 * polling… actualizaciones cada 3 segundos").
 */
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';

/** A running subscriber: calls `onTick(seq)` for every tick it receives. */
export interface Subscriber {
  /** The carrier in use now, when the client can say (Lifeline's `getState().transport`). */
  transport?(): string | null;
  close(): void;
}

export type OnTick = (seq: number) => void;

function seqOf(payload: unknown): number {
  return typeof payload === 'object' && payload !== null && 'seq' in payload ? Number((payload as { seq: unknown }).seq) : Number.NaN;
}

/** Raw socket.io-client listening to plain `tick` events, with the given options. */
export function rawSocketIo(url: string, onTick: OnTick, options: Partial<ManagerOptions & SocketOptions> = {}): Subscriber {
  const socket = io(url, { forceNew: true, ...options });
  socket.on('tick', (p: unknown) => onTick(seqOf(p)));
  return { transport: () => (socket.connected ? (socket.io.engine?.transport?.name ?? null) : null), close: () => socket.close() };
}

/**
 * The raw socket.io-client configurations apps use, by name. `tryAllTransports` is measured
 * twice: as documented (`io(url, { tryAllTransports: true })`, default transports, so it starts
 * on long-polling like the defaults) and WebSocket-first (`transports: ['websocket', 'polling']`),
 * the combination an app picks to get "WebSocket, else polling".
 */
export const RAW_CONFIGS = {
  'socket.io defaults': {},
  "socket.io ['websocket']": { transports: ['websocket'] },
  'socket.io tryAllTransports': { tryAllTransports: true },
  "socket.io ['websocket', 'polling'] + tryAllTransports": { transports: ['websocket', 'polling'], tryAllTransports: true },
} as const satisfies Record<string, Partial<ManagerOptions & SocketOptions>>;

export interface HandwrittenOptions {
  /** WebSocket attempts before giving up on it. @default 3 */
  readonly attempts?: number;
  /** Poll interval once on the fallback, ms. @default 3000 */
  readonly intervalMs?: number;
}

/**
 * The hand-written fallback: socket.io-client on WebSocket with its default reconnection;
 * after 3 `connect_error`s it closes the socket and fetches `GET /api/ticks` every 3 s for the
 * rest of its life (it never climbs back). It is given two kindnesses real code often lacks:
 * the first fetch runs at once rather than 3 s later, and fetches ask for what came after the
 * last tick seen, so it loses nothing.
 */
export function handwrittenFallback(url: string, onTick: OnTick, options: HandwrittenOptions = {}): Subscriber {
  const attempts = options.attempts ?? 3;
  const intervalMs = options.intervalMs ?? 3000;
  let failures = 0;
  let last: number | undefined;
  let stopPolling: (() => void) | undefined;

  const socket = io(url, { forceNew: true, transports: ['websocket'] });
  socket.on('tick', (p: unknown) => {
    last = seqOf(p);
    onTick(last);
  });
  socket.on('connect', () => {
    failures = 0;
  });
  socket.on('connect_error', () => {
    if (++failures < attempts || stopPolling !== undefined) return;
    socket.close();
    stopPolling = pollTicks(url, onTick, intervalMs, last);
  });

  return {
    transport: () => (stopPolling !== undefined ? 'fetch' : socket.connected ? 'websocket' : null),
    close: () => {
      stopPolling?.();
      socket.close();
    },
  };
}

/**
 * The hand-written poll: `GET {url}/api/ticks?since=<last tick seen>` at once, then every
 * `intervalMs`; a failed fetch is tried again at the next interval. Returns stop.
 */
export function pollTicks(url: string, onTick: OnTick, intervalMs: number, since?: number): () => void {
  let last = since;
  let stopped = false;
  const poll = async () => {
    try {
      const res = await fetch(`${url}/api/ticks${last === undefined ? '' : `?since=${last}`}`);
      const { ticks } = (await res.json()) as { ticks: number[] };
      if (stopped) return;
      for (const seq of ticks) {
        last = seq;
        onTick(seq);
      }
    } catch {
      // like the original: try again at the next interval
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
