import { afterEach, describe, expect, it, vi } from 'vitest';
import { Acks } from '../acks';
import type { Clock } from '../clock';
import { Heartbeat, LATE_MS } from '../heartbeat';
import { deadline } from '../deadline';
import { deferJudgement, STALL_MS, Timer } from '../timer';

/**
 * Fake timers plus `stall(ms)`: the clock jumps ahead while no timer runs, as when the event loop
 * is blocked (a long task) or the machine sleeps: the timers due next fire `ms` late.
 */
function stallingClock(): Clock & { stall(ms: number): void } {
  vi.useFakeTimers();
  vi.setSystemTime(0);
  let skew = 0;
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now() + skew,
    stall: (ms) => void (skew += ms),
  };
}

afterEach(() => vi.useRealTimers());

describe('deferJudgement', () => {
  it.each([
    [1000, 1000, false],
    [1000, 1000 + STALL_MS, false],
    [1000, 1001 + STALL_MS, true],
    [1000, 5000, true],
  ])('due %i, now %i → defer %s', (dueAt, now, defer) => expect(deferJudgement(dueAt, now)).toBe(defer));
});

describe('Timer', () => {
  it('on time: a deadline fires exactly when due (fake-timer tests stay exact)', () => {
    const clock = stallingClock();
    const fired = vi.fn();
    new Timer(clock, fired, true).schedule(1000);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('late after a stall: a deadline waits STALL_MS more, so the answer read meanwhile (cancel) wins', () => {
    const clock = stallingClock();
    const fired = vi.fn();
    const timer = new Timer(clock, fired, true);
    timer.schedule(1000);
    clock.stall(1500);
    vi.advanceTimersByTime(1000); // fires 1500 ms late, before the I/O that arrived meanwhile
    expect(fired).not.toHaveBeenCalled();
    expect(timer.pending).toBe(true);
    timer.cancel(); // the awaited answer, read after the stall
    vi.advanceTimersByTime(100);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('late with nothing pending: the deadline fails STALL_MS later; a plain timer does not defer', () => {
    const clock = stallingClock();
    const deadline = vi.fn();
    const plain = vi.fn();
    new Timer(clock, deadline, true).schedule(1000);
    new Timer(clock, plain).schedule(1000);
    clock.stall(1500);
    vi.advanceTimersByTime(1000);
    expect(plain).toHaveBeenCalledTimes(1);
    expect(deadline).not.toHaveBeenCalled();
    vi.advanceTimersByTime(STALL_MS - 1);
    expect(deadline).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(deadline).toHaveBeenCalledTimes(1);
  });
});

describe('Heartbeat after a stall of the client', () => {
  const ctx = { intervalMs: 2000, timeoutMs: 2000, event: 'lifeline:heartbeat', custom: true } as const;

  function drive() {
    const clock = stallingClock();
    const answers: Array<() => void> = [];
    let dead = 0;
    const hb = new Heartbeat(ctx, clock, (_e, answered) => void answers.push(answered), () => {}, () => dead++);
    return { clock, hb, answers, dead: () => dead };
  }

  it('the deadline falls inside a stall (late < LATE_MS) and the answer arrived meanwhile: not dead', () => {
    const { clock, hb, answers, dead } = drive();
    hb.start();
    clock.stall(500); // the loop is blocked until 2500 ms; the answer came in at 100 ms, unread
    vi.advanceTimersByTime(2000); // the deadline (2000) fires 500 ms late, before the I/O is read
    answers.shift()!(); // the pending I/O, read in the grace it was given
    vi.advanceTimersByTime(STALL_MS);
    expect(dead()).toBe(0);
    expect(hb.state).toMatchObject({ answers: 'yes', sentAt: null });
    hb.stop();
  });

  it('the same stall with no answer: dead, STALL_MS late', () => {
    const { clock, hb, dead } = drive();
    hb.start();
    clock.stall(500);
    vi.advanceTimersByTime(2000);
    expect(dead()).toBe(0);
    vi.advanceTimersByTime(STALL_MS);
    expect(dead()).toBe(1);
  });

  it('slept (late ≥ LATE_MS), nothing arrived: verifies at once after the pending I/O, instead of judging', () => {
    const { clock, hb, answers, dead } = drive();
    hb.start();
    clock.stall(2000 + LATE_MS);
    vi.advanceTimersByTime(2000);
    expect(answers.length).toBe(1); // not yet: pending I/O first
    vi.advanceTimersByTime(STALL_MS);
    expect(answers.length).toBe(2); // asked again at once
    expect(dead()).toBe(0);
    hb.stop();
  });
});

describe('Acks after a stall of the client', () => {
  it('the ack deadline fires late while the reply is already in: the reply wins, not ACK_TIMEOUT', async () => {
    const clock = stallingClock();
    const acks = new Acks(clock);
    const { promise, callback } = acks.create<string>('save', 1000);
    clock.stall(500);
    vi.advanceTimersByTime(1000); // fires 500 ms late
    callback(null, 'ok'); // the reply, read after the stall
    vi.advanceTimersByTime(STALL_MS);
    await expect(promise).resolves.toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('deadline (the one-shot deadlines of pings and http exchanges)', () => {
  it('fires when due; fired late behind a stall, it waits STALL_MS, and the answer read meanwhile cancels it', () => {
    const clock = stallingClock();
    const onTime = vi.fn();
    deadline(1000, onTime, clock);
    vi.advanceTimersByTime(1000);
    expect(onTime).toHaveBeenCalledTimes(1);

    const late = vi.fn();
    const cancel = deadline(1000, late, clock);
    clock.stall(1500);
    vi.advanceTimersByTime(1000); // due, but 1.5 s late: judged STALL_MS later
    expect(late).not.toHaveBeenCalled();
    cancel(); // the answer, read in the meantime
    vi.advanceTimersByTime(STALL_MS * 2);
    expect(late).not.toHaveBeenCalled();

    const unanswered = vi.fn();
    deadline(1000, unanswered, clock);
    clock.stall(1500);
    vi.advanceTimersByTime(1000 + STALL_MS);
    expect(unanswered).toHaveBeenCalledTimes(1);
  });
});
