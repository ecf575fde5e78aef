/**
 * The connection state machine as one pure reducer. Every action carries a readable `reason`.
 *
 * idle ──connect()──► connecting ──open──► connected ──lost──► reconnecting ──open──► connected
 *                        │  failure                              ▲   │ failure (backoff, retry)
 *                        └──────────────► reconnecting ──────────┘   │
 * any ──terminal error──► idle (lastError set, no retries) · any ──disconnect()──► idle
 * any ──close()──► closed (final)
 * @internal
 */
import type { AnyLifelineError, LifelineError } from './errors';
import type { ConnectionRole, ConnectionState } from './types';
import type { TransportName } from './transports/types';

/** @internal */
export type Action =
  | { readonly type: 'attempt'; readonly at: number; readonly reason: string }
  | { readonly type: 'failed'; readonly at: number; readonly reason: string; readonly attempt: number; readonly error: LifelineError | null }
  | { readonly type: 'connected'; readonly at: number; readonly reason: string; readonly transport: TransportName; readonly fallback: boolean; readonly notice: LifelineError | null; readonly recovered?: boolean | undefined }
  | { readonly type: 'lost'; readonly at: number; readonly reason: string; readonly error: LifelineError | null }
  | { readonly type: 'stopped'; readonly at: number; readonly reason: string; readonly error: LifelineError | null }
  | { readonly type: 'closed'; readonly at: number; readonly reason: string }
  /** The hint texts loaded: `lastError.hint` now reads in full, so subscribers render again. */
  | { readonly type: 'hints'; readonly at: number; readonly reason: string }
  | { readonly type: 'role'; readonly at: number; readonly reason: string; readonly role: ConnectionRole };

/** @internal */
export function initialState(at: number): ConnectionState {
  return { status: 'idle', transport: null, attempt: 0, fallback: false, lastError: null, recovered: false, since: at, role: 'solo' };
}

/**
 * Pure: the next snapshot, or the same object when nothing changes.
 * @internal
 */
export function reduce(state: ConnectionState, action: Action): ConnectionState {
  if (state.status === 'closed') return state;
  // `lastError as AnyLifelineError`: an error's code fixes its details (its constructor checks
  // them), so each one is a member of that union, where `code` narrows `details`.
  switch (action.type) {
    case 'attempt': {
      const status = state.status === 'idle' || (state.status === 'connecting' && state.attempt === 0) ? 'connecting' : 'reconnecting';
      return patch(state, { status, transport: null, fallback: false }, action.at);
    }
    case 'failed':
      return patch(state, { status: 'reconnecting', transport: null, fallback: false, attempt: action.attempt, lastError: (action.error as AnyLifelineError | null) ?? state.lastError }, action.at);
    case 'connected':
      return patch(state, { status: 'connected', transport: action.transport, fallback: action.fallback, attempt: 0, lastError: action.notice as AnyLifelineError | null, recovered: action.recovered === true }, action.at);
    case 'lost':
      return patch(state, { status: 'reconnecting', transport: null, fallback: false, lastError: (action.error as AnyLifelineError | null) ?? state.lastError }, action.at);
    case 'stopped':
      return patch(state, { status: 'idle', transport: null, fallback: false, attempt: 0, lastError: action.error as AnyLifelineError | null }, action.at);
    case 'closed':
      return patch(state, { status: 'closed', transport: null, fallback: false }, action.at);
    case 'hints':
      return state.lastError ? { ...state } : state;
    case 'role':
      return patch(state, { role: action.role }, action.at);
  }
}

function patch(state: ConnectionState, changes: Partial<Omit<ConnectionState, 'since'>>, at: number): ConnectionState {
  let changed = false;
  for (const key of Object.keys(changes) as Array<keyof typeof changes>) {
    if (state[key] !== changes[key]) {
      changed = true;
      break;
    }
  }
  if (!changed) return state;
  const status = changes.status ?? state.status;
  return { ...state, ...changes, since: status !== state.status ? at : state.since };
}
