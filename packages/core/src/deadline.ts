import { defaultClock, type Clock } from './clock';
import { Timer } from './timer';

/**
 * A one-shot deadline (a timeout that declares an awaited answer missing), stall-safe like a
 * `deadline` `Timer`: when it fires late behind an event-loop stall, the answer that arrived
 * meanwhile is read first and cancels it. Returns its cancel.
 * @internal
 */
export function deadline(ms: number, callback: () => void, clock: Clock = defaultClock): () => void {
  const timer = new Timer(clock, callback, true);
  timer.schedule(ms);
  return timer.cancel;
}
