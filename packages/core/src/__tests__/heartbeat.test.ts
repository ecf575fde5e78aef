import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultClock } from '../clock';
import { Heartbeat, LATE_MS, step, type HeartbeatAction, type HeartbeatInput, type HeartbeatState } from '../heartbeat';

const ctx = { intervalMs: 2000, timeoutMs: 2000, expected: false };
const s = (over: Partial<HeartbeatState>): HeartbeatState => ({ answers: 'unknown', heardAt: 0, sentAt: null, dueAt: 2000, ...over });

const table: Array<[string, HeartbeatState, HeartbeatInput, boolean, HeartbeatAction, Partial<HeartbeatState>]> = [
  ['idle for intervalMs → send', s({ answers: 'yes' }), { type: 'timer', at: 2000 }, false, 'send', { sentAt: 2000, dueAt: 4000 }],
  ['something arrived meanwhile → wait until intervalMs after it', s({ answers: 'yes', heardAt: 1500 }), { type: 'timer', at: 2000 }, false, 'none', { sentAt: null, dueAt: 3500 }],
  ['a frame counts as proof, the deadline stays', s({ answers: 'yes', sentAt: 2000, dueAt: 4000 }), { type: 'heard', at: 2500 }, false, 'none', { heardAt: 2500, dueAt: 4000 }],
  ['answered → the server answers; next heartbeat intervalMs later', s({ sentAt: 2000, dueAt: 4000 }), { type: 'answered', at: 2100 }, false, 'none', { answers: 'yes', sentAt: null, dueAt: 4100 }],
  ['answering server, unanswered, nothing heard → dead', s({ answers: 'yes', sentAt: 2000, dueAt: 4000 }), { type: 'timer', at: 4000 }, false, 'dead', { dueAt: Infinity }],
  ['answering server, unanswered, but frames arrived → alive', s({ answers: 'yes', heardAt: 3000, sentAt: 2000, dueAt: 4000 }), { type: 'timer', at: 4000 }, false, 'none', { answers: 'yes', dueAt: 5000 }],
  ['first heartbeat unanswered while frames arrived → the server does not answer: stop', s({ heardAt: 1000, sentAt: 0, dueAt: 2000 }), { type: 'timer', at: 2000 }, false, 'none', { answers: 'no', dueAt: Infinity }],
  ['first heartbeat unanswered, nothing heard, not expected → ask what any server answers', s({ sentAt: 0, dueAt: 2000 }), { type: 'timer', at: 2000 }, false, 'verify', { answers: 'unknown', verifying: true, sentAt: 2000, dueAt: 4000 }],
  ['verification answered → alive, deaf to heartbeats: stop', s({ sentAt: 2000, dueAt: 4000, verifying: true }), { type: 'heard', at: 2010 }, false, 'none', { answers: 'no', verifying: false, dueAt: Infinity }],
  ['verification unanswered too → dead', s({ sentAt: 2000, dueAt: 4000, verifying: true }), { type: 'timer', at: 4000 }, false, 'dead', {}],
  ['first heartbeat unanswered, nothing heard, expected → dead', s({ sentAt: 0, dueAt: 2000 }), { type: 'timer', at: 2000 }, true, 'dead', {}],
  ['timer fired much later than due (slept) → ask again instead of judging', s({ answers: 'yes', sentAt: 2000, dueAt: 4000 }), { type: 'timer', at: 4000 + LATE_MS }, false, 'send', { sentAt: 5000, dueAt: 7000 }],
  ['wake-up → check at once', s({ answers: 'yes', heardAt: 1000 }), { type: 'wake', at: 1500 }, false, 'send', { sentAt: 1500, dueAt: 3500 }],
  ['wake-up on a server that does not answer → nothing', s({ answers: 'no', dueAt: Infinity }), { type: 'wake', at: 1500 }, false, 'none', { answers: 'no' }],
  ['a server that does not answer: frames change nothing', s({ answers: 'no', dueAt: Infinity }), { type: 'heard', at: 1500 }, false, 'none', { dueAt: Infinity }],
];

describe('heartbeat step', () => {
  it.each(table)('%s', (_name, state, input, expected, action, after) => {
    const r = step(state, input, { ...ctx, expected });
    expect(r.action).toBe(action);
    expect(r.state).toMatchObject(after);
  });
});

describe('Heartbeat', () => {
  afterEach(() => vi.useRealTimers());

  function drive(answer: 'always' | 'never' | 'nothing', expected = false) {
    vi.useFakeTimers();
    const sent: number[] = [];
    let dead = 0;
    let verified = 0;
    const shared = { answered: expected, rtt: null as number | null, wakes: new Set<() => void>() };
    const hb = new Heartbeat({ ...ctx, event: 'lifeline:heartbeat', custom: false, shared }, defaultClock, (_e, answered) => {
      sent.push(Date.now());
      if (answer === 'always') setTimeout(answered, 50);
    }, () => {
      verified++;
      if (answer !== 'nothing') setTimeout(() => hb.heard(), 30); // any Socket.IO server answers a namespace CONNECT
    }, () => dead++);
    return { hb, sent, shared, dead: () => dead, verified: () => verified };
  }

  it('an answering server: one heartbeat per idle interval, never dead; a stream of frames sends none', () => {
    const { hb, sent, shared, dead } = drive('always');
    hb.start();
    vi.advanceTimersByTime(10_000);
    expect(shared.answered).toBe(true);
    expect(shared.rtt).toBe(50);
    expect(sent.length).toBe(5); // at 0, then every 2050 ms
    const before = sent.length;
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(100);
      hb.heard();
    }
    expect(sent.length).toBe(before);
    expect(dead()).toBe(0);
    hb.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent.length).toBe(before); // stopped: nothing more
    expect(vi.getTimerCount()).toBe(0);
  });

  it('frames while nothing is pending: no new state and no timer call per frame; the idle timer re-arms for the remainder', () => {
    const { hb, sent } = drive('always');
    vi.setSystemTime(0);
    hb.start();
    vi.advanceTimersByTime(100); // the first heartbeat was answered at 50: idle, next one due at 2050
    const idle = hb.state;
    expect(idle).toMatchObject({ answers: 'yes', sentAt: null, dueAt: 2050 });
    const set = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(10);
      hb.heard(); // the last at 600
    }
    expect(hb.state).toBe(idle); // per frame: the time is recorded, nothing else
    expect([set.mock.calls.length, clear.mock.calls.length]).toEqual([0, 0]);
    // The idle timer fires when first due, finds the frame at 600 and waits until 2600.
    vi.advanceTimersByTime(2049 - 600);
    expect(set).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([0]);
    expect(set).toHaveBeenCalledTimes(1);
    expect(hb.state).toMatchObject({ heardAt: 600, sentAt: null, dueAt: 2600 });
    vi.advanceTimersByTime(2599 - 2050);
    expect(sent).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([0, 2600]);
    hb.stop();
  });

  it('a frame while a heartbeat is pending: no new state either, and it still counts as proof at the deadline', () => {
    const { hb, dead, verified } = drive('never', true);
    hb.start();
    vi.advanceTimersByTime(1000);
    const pending = hb.state;
    expect(pending).toMatchObject({ sentAt: expect.any(Number) });
    hb.heard();
    expect(hb.state).toBe(pending); // recorded, folded in when the deadline comes
    vi.advanceTimersByTime(1000); // unanswered, but something arrived: alive, and deaf to heartbeats
    expect([dead(), verified()]).toEqual([0, 0]);
    expect(hb.state).toMatchObject({ answers: 'no', dueAt: Infinity });
    hb.heard();
    expect(vi.getTimerCount()).toBe(0);
    hb.stop();
  });

  it('a server without the handler: one heartbeat, one verification, then none, and never dead', () => {
    const { hb, sent, shared, dead, verified } = drive('never');
    hb.start();
    vi.advanceTimersByTime(60_000);
    expect(sent.length).toBe(1);
    expect(verified()).toBe(1);
    expect(shared.answered).toBe(false);
    expect(dead()).toBe(0);
    hb.stop();
  });

  it('nothing answers at all, not even the verification: dead after two timeouts', () => {
    const { hb, dead, verified } = drive('nothing');
    hb.start();
    vi.advanceTimersByTime(3999);
    expect([verified(), dead()]).toEqual([1, 0]);
    vi.advanceTimersByTime(1);
    expect(dead()).toBe(1);
  });

  it('expected to answer (an earlier connection did) and never does: dead after timeoutMs, no verification', () => {
    const { hb, dead } = drive('never', true);
    hb.start();
    vi.advanceTimersByTime(1999);
    expect(dead()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(dead()).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(dead()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
