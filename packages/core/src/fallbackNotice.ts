/**
 * What a person is told when a lower rung connects first: the `transport` reason, the notice kept
 * in `lastError` while on the lower rung.
 * Pure: the ladder calls it from `#onOpen` and tests table-drive it.
 * @internal
 */
import { LifelineError, withHint } from './errors';
import type { TransportFailure, TransportName } from './transports/types';

/** The round that ended with a lower rung connected. @internal */
export interface FallbackRound {
  /** Failure of the rung the round was for (null: it was still trying, the head start ran out). */
  readonly primary: TransportFailure | null;
  /** Failure of the last rung raced below it (null when none failed). */
  readonly racer: TransportFailure | null;
  readonly rungs: readonly TransportName[];
  /** The rung the round was for. */
  readonly from: number;
  /** The rung that connected (> from). */
  readonly to: number;
  /** Server origin + Socket.IO path, for messages. */
  readonly url: string;
  /** The Socket.IO path, for the hint when the path itself is blocked. */
  readonly path: string;
  /** The head start the top rung had before the next one was raced, ms. */
  readonly headStartMs: number;
}

/** @internal */
export interface Fallback {
  readonly reason: string;
  readonly notice: LifelineError;
}

/**
 * @example
 * ```ts
 * fallbackNotice({ primary: wsRejected, racer: null, rungs, from: 0, to: 1, url, path, headStartMs: 1000 }).notice.code; // 'UPGRADE_BLOCKED'
 * ```
 * @internal
 */
export function fallbackNotice(r: FallbackRound): Fallback {
  const { primary, rungs, url } = r;
  const to = rungs[r.to]!;
  const between = r.racer && r.to > r.from + 1 ? r.racer : null;
  if (primary && between) {
    // Every Socket.IO carrier failed while a rung of another protocol (http) answers: the
    // Socket.IO path itself is blocked, which is not the nginx Upgrade-header problem.
    return {
      reason: `${primary.reason}; ${between.reason}: the ${to} endpoint answers, falling back to ${to}`,
      // Polling reached a node that did not start its session: the path is open, stickiness is
      // missing (that hint also names fixing the upgrade and the stateless http rung).
      notice: withHint('UPGRADE_BLOCKED', `Socket.IO at ${url} fails over ${rungs.slice(r.from, r.to).join(' and ')} (${primary.reason}; ${between.reason}), while the ${to} endpoint answers.`, { url, transport: rungs[r.from], path: r.path, to }, between.kind === 'session-unknown' && between.error ? between.error : 'pathBlocked'),
    };
  }
  const reason = primary ? `${primary.reason}: HTTP answers, falling back to ${to}` : `${rungs[r.from]} did not answer within ${r.headStartMs} ms: ${to} connected first`;
  const notice = primary?.error?.code === 'UPGRADE_BLOCKED' ? primary.error : new LifelineError('UPGRADE_BLOCKED', `${reason}.`, { url, transport: 'websocket' });
  return { reason, notice };
}
