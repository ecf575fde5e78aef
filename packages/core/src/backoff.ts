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
 * the window also reaches up by `jitter`, `delay × (1 ± jitter)`, never above `maxDelayMs`:
 * socket.io-client's own randomization, `[1000, 3000]` for the second attempt with the defaults
 * (was `[1000, 2000]`). Clients that lost one server did so at the same instant: a window twice
 * as wide halves how many land in any 100 ms while it comes back. Full jitter (`[0, delay]`)
 * would be as wide, but it sends most of them back while a restarting server is still down
 * (each such failure of WebSocket is also verified over polling: two more failed connections).
 *
 * @example
 * ```ts
 * delayFor(1, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 0); // 1000
 * delayFor(5, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 1); // 1500
 * delayFor(2, { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 }, () => 0.5, true); // 2000: [1000, 3000]
 * ```
 * @internal
 */
export function delayFor(attempt: number, opts: BackoffOptions, random: () => number = Math.random, spread = false): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(opts.maxDelayMs, opts.delayMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(1, Math.max(0, random()));
  const top = spread ? Math.min(opts.maxDelayMs, base * (1 + opts.jitter)) : base;
  return Math.round(top - (top - base * (1 - opts.jitter)) * r);
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
