/**
 * Below the top rung, loaded when the client first launches a lower rung (ladder.ts `loadClimb`):
 * the fall notice (fallbackNotice.ts), the head-start attempt kept as a probe, and the climb back
 * with a separate probe connection at growing intervals (make-before-break). Most clients never
 * leave the top rung, so none of this loads with the page. Decisions stay in `ladderPolicy.ts`
 * and `fallbackNotice.ts`; this is the I/O around them, on the ladder's behalf.
 * @internal
 */
import type { LifelineError } from './errors';
import { fallbackNotice } from './fallbackNotice';
import type { LadderDeps, Live, Round } from './ladder';
import { probeDelay } from './ladderPolicy';
import { Timer } from './timer';
import type { TransportFailure, TransportName } from './transports/types';

/** What the climb asks of the ladder. @internal */
export interface ClimbHost {
  readonly deps: LadderDeps;
  readonly rungs: readonly TransportName[];
  /** The connection carrying traffic while the ladder runs, else null. */
  active(): Live | null;
  /** The ladder's attempt generation (a stale callback compares it). */
  gen(): number;
  /** A climb went mute: a probe takes over only once it has heard from the server (ladderPolicy). */
  mustHear(): boolean;
  /** Launches a top-rung connection outside any round (a probe). */
  launch(auth: Readonly<Record<string, unknown>>): Live | null;
  dispose(live: Live): void;
  /** The probe (channels joined) takes over: the ladder is on the top rung again. */
  switchTo(probe: Live): void;
  /** The notice of a fall told late (a kept head-start attempt failed after all): the state says it now. */
  told(reason: string, notice: LifelineError): void;
}

/** @internal */
export class Climb {
  readonly #h: ClimbHost;
  readonly #timer: Timer;
  /** A top-rung connection that takes over once it opened and joined (or the kept head-start attempt). */
  probe: Live | null = null;
  /** Climb-back probes scheduled since the last fall. */
  #probes = 0;
  /** Tells the fall once the top attempt kept from a head-start race fails after all. */
  #raceLost: ((failure: TransportFailure) => void) | null = null;

  constructor(host: ClimbHost) {
    this.#h = host;
    this.#timer = new Timer(host.deps.clock, () => void this.#start());
  }

  /**
   * A rung below the one the round was for (`round.asked`'s) connected: what to say. `top`, the
   * top attempt still trying (a head-start race), is kept as a probe and the fall is told only if
   * it fails; else the notice is returned, to be kept and reported now.
   */
  fell(live: Live, round: Round, from: number, headStartMs: number, top: Live | undefined): { reason: string; notice: LifelineError | null } {
    const o = this.#h.deps.options;
    const rungs = this.#h.rungs;
    const notice = (primary: TransportFailure | null) => fallbackNotice({ primary, racer: round.racerFailure, rungs, from, to: live.rung, url: o.url + o.path, path: o.path, headStartMs });
    const fallback = notice(round.primaryFailure);
    this.#probes = 0;
    if (!top) return fallback;
    // Not a failure yet: told only if the kept attempt fails (`lost`).
    round.pending.delete(top);
    this.probe = top;
    this.#raceLost = (f) => {
      const active = this.#h.active();
      if (!active || active.rung <= from) return;
      const told = notice(f);
      this.#h.told(told.reason, told.notice);
    };
    return { reason: fallback.reason, notice: null };
  }

  /** The ladder escalated: the climb-back probes start over at the shortest interval. */
  reset(): void {
    this.#probes = 0;
  }

  /** The probe closed (failed): the kept head-start attempt tells the fall; probe again later. */
  lost(live: Live, failure: TransportFailure): void {
    this.probe = null;
    if (live.round) this.#raceLost?.(failure);
    this.#raceLost = null;
    this.schedule();
  }

  /** The active connection ended or the ladder stopped: no probe, none scheduled. */
  stop(): void {
    this.#timer.cancel();
    if (this.probe) this.#h.dispose(this.probe);
    this.probe = null;
  }

  /** Climb-back probes at growing intervals after a fall, up to `upgradeIntervalMs` (ladderPolicy `probeDelay`). */
  schedule(): void {
    const interval = this.#h.deps.options.upgradeIntervalMs;
    const active = this.#h.active();
    if (interval === false || !active || active.rung === 0 || this.probe) return;
    this.#timer.schedule(probeDelay(this.#probes++, interval, this.#h.deps.random));
  }

  async #start(): Promise<void> {
    if (!this.#h.active()?.rung || this.probe) return;
    const gen = this.#h.gen();
    let auth: Readonly<Record<string, unknown>>;
    try {
      auth = await this.#h.deps.options.auth();
    } catch {
      return this.schedule();
    }
    if (gen !== this.#h.gen() || !this.#h.active() || this.probe) return;
    const probe = this.#h.launch(auth);
    if (probe) this.probe = probe;
    else this.schedule();
  }

  /** The probe opened: join its channels first (make before break), then it takes over. */
  async opened(probe: Live): Promise<void> {
    let joined = false;
    try {
      joined = await this.#h.deps.hooks.join(probe.transport);
    } catch {
      joined = false;
    }
    if (!joined) {
      if (probe === this.probe) {
        this.#h.dispose(probe);
        this.probe = null;
        this.schedule();
      }
      return;
    }
    if (probe !== this.probe || !this.#h.active()) return;
    // After a climb went silent, a probe must also prove that packets flow after its handshake.
    if (this.#h.mustHear() && !probe.heard) return void (probe.joined = true);
    this.#switch(probe);
  }

  /** A packet arrived on `live` (`heard` is set): a joined probe waiting for one takes over. */
  heard(live: Live): void {
    if (live === this.probe && live.joined && this.#h.active()) this.#switch(live);
  }

  #switch(probe: Live): void {
    this.probe = null;
    this.#h.switchTo(probe);
  }
}
