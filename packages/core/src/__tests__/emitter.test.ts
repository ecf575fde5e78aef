import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../emitter';

type Events = { tick: (n: number) => void; other: () => void };

describe('Emitter', () => {
  it('calls listeners in the order they were added, with the arguments', () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    e.on('tick', (n) => seen.push(`a${n}`));
    e.on('tick', (n) => seen.push(`b${n}`));
    e.emit('tick', 1);
    expect(seen).toEqual(['a1', 'b1']);
    expect(() => e.emit('other')).not.toThrow(); // no listeners
  });

  it('off removes only its own registration, once, even for the same function added twice', () => {
    const e = new Emitter<Events>();
    const fn = vi.fn();
    const off1 = e.on('tick', fn);
    e.on('tick', fn);
    off1();
    off1();
    e.emit('tick', 1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(e.listenerCount('tick')).toBe(1);
  });

  it('a listener removed or added during an emit takes effect from the next emit', () => {
    const e = new Emitter<Events>();
    const late = vi.fn();
    const second = vi.fn();
    e.on('tick', () => {
      offSecond();
      e.on('tick', late);
    });
    const offSecond = e.on('tick', second);
    e.emit('tick', 1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(late).not.toHaveBeenCalled();
    e.emit('tick', 2);
    expect(second).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledWith(2);
  });

  it('counts listeners per event and in total; removeAll and off bring the count to zero', () => {
    const e = new Emitter<Events>();
    const offs = [e.on('tick', () => {}), e.on('tick', () => {}), e.on('other', () => {})];
    expect(e.listenerCount('tick')).toBe(2);
    expect(e.listenerCount()).toBe(3);
    offs.forEach((off) => off());
    expect(e.listenerCount()).toBe(0);
    e.on('other', () => {});
    e.removeAll();
    expect(e.listenerCount()).toBe(0);
  });
});
