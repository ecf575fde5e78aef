/** settleOnce: the first outcome wins, the deadline gives the timeout outcome, the attempt is released once. */
import { describe, expect, it, vi } from 'vitest';
import { settleOnce } from '../settle';

describe('settleOnce', () => {
  it('resolves with the first outcome and releases the attempt once, even when it is reported synchronously', async () => {
    const release = vi.fn();
    const outcome = await settleOnce(1000, 'timeout', (done) => {
      done('first');
      done('second');
      return release;
    });
    expect(outcome).toBe('first');
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('resolves with the timeout outcome when nothing answers in time, then ignores a late answer', async () => {
    const release = vi.fn();
    let late: ((outcome: string) => void) | undefined;
    const outcome = await settleOnce(20, 'timeout', (done) => {
      late = done;
      return release;
    });
    late?.('late');
    expect(outcome).toBe('timeout');
    expect(release).toHaveBeenCalledTimes(1);
  });
});
