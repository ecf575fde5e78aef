/** Options of the backoff curve (a subset of `reconnect`). @internal */
export interface BackoffOptions {
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
}

/**
 * Delay before attempt number `attempt` (1-based): exponential from `delayMs`, capped at
 * `maxDelayMs`, then reduced by up to `jitter` of itself. The jitter is applied after the cap, so
 * clients that all sit at the cap still spread out (thundering-herd safe).
 *
 * `spread` (the retries after a healthy connection was lost, `ladderPolicy` decision `spread`):
 * the jitter is doubled, up to 1, so with the default 0.5 it is full jitter, uniform in
 * `[0, delay]`. Clients that lost one server did so at the same instant: their retries fall
 * while it is still down or busy coming back, and a window as wide as the delay itself halves
 * how many land in any 100 ms (socket.io-client's own window is as wide: `delay × (1 ± 0.5)`).
 * On average it is also sooner than `[delay / 2, delay]`.
 *
 * @example
 * ```ts
 * delayFor(1, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 0); // 1000
 * delayFor(5, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 1); // 1500
 * delayFor(2, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 0.75, true); // 500
 * ```
 * @internal
 */
export function delayFor(attempt: number, opts: BackoffOptions, random: () => number = Math.random, spread = false): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(opts.maxDelayMs, opts.delayMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - Math.min(1, opts.jitter * (spread ? 2 : 1)) * r));
}

/**
 * Delay before the first attempt after an established, healthy connection was lost: drawn
 * uniformly from `[0, delayMs × jitter]`. Such a loss is most often a blip (a load balancer
 * recycling connections, a deploy), so the client comes back promptly, yet clients that all lost
 * the same server still spread over the jitter window instead of reconnecting in one burst.
 *
 * @example
 * ```ts
 * delayAfterLoss({ delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 0.5); // 250
 * ```
 * @internal
 */
export function delayAfterLoss(opts: BackoffOptions, random: () => number = Math.random): number {
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(opts.delayMs * opts.jitter * r);
}
