/**
 * What tabs and the leader say to each other over BroadcastChannel, and the pure parts of
 * sharing: the key that decides who shares, errors as plain data, and the leader's state
 * replayed as actions into each tab's own store.
 * @internal
 */
import { hintsLoaded, LifelineError, type LifelineErrorCode, type LifelineErrorDetails } from '../errors';
import type { ShareSettings } from '../options';
import type { Action } from '../state';
import type { ConnectionStatus } from '../types';
import type { ChannelParams, IncomingEvent, JoinResult, TransportName } from '../transports/types';

/** A `LifelineError` as structured-clone-safe data. */
export interface WireError {
  readonly code: LifelineErrorCode;
  readonly message: string;
  /** Absent while the hint texts are not loaded: the receiving tab builds it from code and details. */
  readonly hint: string | undefined;
  readonly details: LifelineErrorDetails;
}

/** The leader's connection, as each tab mirrors it. */
export interface WireState {
  readonly status: ConnectionStatus;
  readonly transport: TransportName | null;
  readonly attempt: number;
  readonly fallback: boolean;
  readonly lastError: WireError | null;
  /** Why it last changed (the reason of the leader's last `transport` event). */
  readonly reason: string;
  /** The leader's last measured round trip to the server, ms. */
  readonly rtt: number | null;
}

/** Tab → leader. `hub` names the leader the tab talks to: a message for an old leader is ignored. */
export type TabMessage =
  | { readonly t: 'hello'; readonly tab: string }
  | { readonly t: 'link' | 'synced' | 'unlink'; readonly tab: string; readonly hub: string }
  | { readonly t: 'join'; readonly tab: string; readonly hub: string; readonly id: number; readonly ch: string; readonly cursor: string | undefined; readonly params?: ChannelParams | undefined }
  | { readonly t: 'leave'; readonly tab: string; readonly hub: string; readonly ch: string }
  | { readonly t: 'emit'; readonly tab: string; readonly hub: string; readonly id: number; readonly ev: string; readonly data: unknown; readonly ack: boolean; readonly vol?: true }
  | { readonly t: 'history'; readonly tab: string; readonly hub: string; readonly id: number; readonly ch: string; readonly q: { readonly limit: number; readonly before?: string | undefined } }
  | { readonly t: 'ping'; readonly tab: string; readonly hub: string; readonly id: number; readonly ms: number | undefined }
  | { readonly t: 'bye'; readonly tab: string }
  /** "Is a leader alive?", asked after the leader has been silent for a while (see `SILENT_MS`). */
  | { readonly t: 'probe'; readonly tab: string };

/** Leader → tabs. */
export type HubMessage =
  | { readonly t: 'state'; readonly hub: string; readonly s: WireState }
  /** `n`: the leader's term (see `newerLeader`). */
  | { readonly t: 'lead'; readonly hub: string; readonly n: number; readonly s: WireState }
  | { readonly t: 'welcome'; readonly hub: string; readonly n: number; readonly tab: string; readonly s: WireState }
  | { readonly t: 'msg'; readonly hub: string; readonly m: IncomingEvent; readonly tr: TransportName }
  /** `replay`: the events a tab that joined behind the leader missed, to take before any other of the channel. */
  | { readonly t: 'joined'; readonly hub: string; readonly tab: string; readonly id: number; readonly r: JoinResult; readonly replay?: readonly IncomingEvent[] }
  | { readonly t: 'acked'; readonly hub: string; readonly tab: string; readonly id: number; readonly e?: WireError; readonly v?: unknown }
  | { readonly t: 'pong'; readonly hub: string; readonly tab: string; readonly id: number; readonly e?: WireError; readonly v?: number }
  | { readonly t: 'paged'; readonly hub: string; readonly tab: string; readonly id: number; readonly r: unknown }
  | { readonly t: 'error'; readonly hub: string; readonly e: WireError; readonly ch: string | undefined }
  | { readonly t: 'expired'; readonly hub: string; readonly ch: string; readonly msg: string }
  | { readonly t: 'gone'; readonly hub: string }
  /** The answer to `probe`, sent from a task a frozen page does not run (see `Hub`). */
  | { readonly t: 'alive'; readonly hub: string };

export type ShareMessage = TabMessage | HubMessage;

/** How long a new leader waits for the tabs to say which channels they hold (and from where), ms. */
export const COLLECT_MS = 300;

/** A follower that heard nothing from the leader for this long asks whether it is alive (`probe`), ms. */
export const SILENT_MS = 500;
/** A probe nobody answers within this long makes the leader suspect: the next tab in line takes the lead, ms. */
export const ANSWER_MS = 1000;

/**
 * Whether a leader announcing itself (term `n`, id `hub`) replaces the one a tab follows. Each
 * leader's term is one more than the highest its tab had seen, so an old leader that wakes up from
 * a freeze (it still answers from its BroadcastChannel handler) can never win a tab back from the
 * one that took the lead from it. Equal terms (two tabs took the lead at once) go to the larger id.
 */
export const newerLeader = (n: number, hub: string, term: number, current: string | null): boolean => n > term || (n === term && hub !== current && (current === null || hub > current));

/** JSON with sorted keys: the same object gives the same text whatever order its keys were set in. */
const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** cyrb53: a fast 53-bit string hash (not cryptographic; it only keeps different auths apart). */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The name tabs share under: server (url, path, namespace), the app's `share.key`, and a hash of
 * a static `auth` object, so tabs holding different credentials never share a connection (the
 * credentials themselves never appear in a lock or channel name).
 *
 * @example
 * ```ts
 * shareName({ url: 'https://api.example.com', path: '/socket.io', namespace: '/' }, { key: 'u-1', auth: undefined });
 * // 'lifeline:1:https://api.example.com/socket.io/:u-1:'
 * ```
 */
export function shareName(where: { readonly url: string; readonly path: string; readonly namespace: string }, share: ShareSettings): string {
  return `lifeline:1:${where.url}${where.path}${where.namespace}:${share.key ?? ''}:${typeof share.auth == 'object' ? hash53(stable(share.auth)) : ''}`;
}

export function toWireError(e: LifelineError): WireError {
  let details: LifelineErrorDetails;
  try {
    details = JSON.parse(JSON.stringify(e.details)) as LifelineErrorDetails;
  } catch {
    details = {};
  }
  return { code: e.code, message: e.message, hint: hintsLoaded() ? e.hint : undefined, details };
}

export const fromWireError = (e: WireError): LifelineError => new LifelineError(e.code, e.message, e.details, e.hint === undefined ? undefined : { hint: e.hint });

/**
 * The action that brings a tab's store to the leader's state (the tab keeps its own `since` and
 * `role`). A leader that is idle without an error is about to connect (it gathers the tabs'
 * channels first): the tab shows that as an attempt.
 */
export function mirror(s: WireState, at: number): Action {
  const error = s.lastError && fromWireError(s.lastError);
  const reason = s.reason;
  switch (s.status) {
    case 'connected':
      return { type: 'connected', at, reason, transport: s.transport ?? 'websocket', fallback: s.fallback, notice: error };
    case 'reconnecting':
      return s.attempt > 0 ? { type: 'failed', at, reason, attempt: s.attempt, error } : { type: 'lost', at, reason, error };
    case 'idle':
      return error ? { type: 'stopped', at, reason, error } : { type: 'attempt', at, reason };
    case 'connecting':
      return { type: 'attempt', at, reason };
    case 'closed':
      return { type: 'lost', at, reason: 'the leader tab closed: another tab takes over', error: null };
  }
}
