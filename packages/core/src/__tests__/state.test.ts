import { describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../errors';
import { initialState, reduce } from '../state';
import { StateStore } from '../store';

describe('reduce', () => {
  const idle = initialState(0);
  it('idle → connecting → connected → reconnecting → idle', () => {
    const c = reduce(idle, { type: 'attempt', at: 1, reason: 'connect' });
    expect(c).toMatchObject({ status: 'connecting', since: 1 });
    const up = reduce(c, { type: 'connected', at: 2, reason: 'ok', transport: 'polling', fallback: true, notice: null });
    expect(up).toMatchObject({ status: 'connected', transport: 'polling', fallback: true, attempt: 0, since: 2 });
    const err = new LifelineError('UNREACHABLE', 'gone');
    const lost = reduce(up, { type: 'lost', at: 3, reason: 'x', error: err });
    expect(lost).toMatchObject({ status: 'reconnecting', transport: null, fallback: false, lastError: err });
    const again = reduce(lost, { type: 'attempt', at: 4, reason: 'retry' });
    expect(again.status).toBe('reconnecting');
    const failed = reduce(again, { type: 'failed', at: 5, reason: 'x', attempt: 2, error: null });
    expect(failed).toMatchObject({ attempt: 2, lastError: err, since: 3 });
    const stopped = reduce(failed, { type: 'stopped', at: 6, reason: 'bad ns', error: new LifelineError('INVALID_NAMESPACE', 'no') });
    expect(stopped).toMatchObject({ status: 'idle', attempt: 0 });
    expect(stopped.lastError?.code).toBe('INVALID_NAMESPACE');
  });

  it('a failed first attempt moves connecting → reconnecting', () => {
    const c = reduce(idle, { type: 'attempt', at: 1, reason: '' });
    const f = reduce(c, { type: 'failed', at: 2, reason: '', attempt: 1, error: null });
    expect(reduce(f, { type: 'attempt', at: 3, reason: '' }).status).toBe('reconnecting');
  });

  it('returns the same object when nothing changes, and closed is final', () => {
    const c = reduce(idle, { type: 'attempt', at: 1, reason: '' });
    expect(reduce(c, { type: 'attempt', at: 9, reason: '' })).toBe(c);
    const closed = reduce(c, { type: 'closed', at: 2, reason: '' });
    expect(reduce(closed, { type: 'attempt', at: 3, reason: '' })).toBe(closed);
  });
});

describe('StateStore', () => {
  it('freezes, notifies once per change and never for a no-op', () => {
    const store = new StateStore(initialState(0));
    const listener = vi.fn();
    const off = store.subscribe(listener);
    const s1 = store.dispatch({ type: 'attempt', at: 1, reason: '' });
    store.dispatch({ type: 'attempt', at: 2, reason: '' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen(s1)).toBe(true);
    expect(store.getState()).toBe(s1);
    const { getState } = store; // bound
    expect(getState()).toBe(s1);
    off();
    store.dispatch({ type: 'closed', at: 3, reason: '' });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
