import { describe, expect, it, vi } from 'vitest';
import { browserEnvironment, Environment } from '../environment';

describe('Environment', () => {
  it('is a no-op in Node: online, no listeners', () => {
    const env = new Environment(browserEnvironment());
    expect(env.isOnline()).toBe(true);
    const off = env.watch(() => {});
    expect(env.listenerCount).toBe(0);
    off();
  });

  it('resumes on online and on visibilitychange → visible only; off removes both listeners', () => {
    const target = new EventTarget();
    let visible = false;
    const env = new Environment({ target, isOnline: () => true, isVisible: () => visible });
    const resume = vi.fn();
    const off = env.watch(resume);
    expect(env.listenerCount).toBe(2);
    target.dispatchEvent(new Event('visibilitychange'));
    expect(resume).not.toHaveBeenCalled(); // still hidden
    visible = true;
    target.dispatchEvent(new Event('visibilitychange'));
    expect(resume).toHaveBeenCalledTimes(1);
    target.dispatchEvent(new Event('online'));
    expect(resume).toHaveBeenCalledTimes(2);
    off();
    expect(env.listenerCount).toBe(0);
    target.dispatchEvent(new Event('online'));
    expect(resume).toHaveBeenCalledTimes(2);
  });
});
