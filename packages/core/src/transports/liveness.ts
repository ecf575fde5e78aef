/**
 * Liveness of one Socket.IO connection, loaded on first use (the first connection with a
 * heartbeat, or the first `ping()`): the heartbeat driver and round trips. Most of it is
 * decisions (heartbeat.ts) and messages, which cost nothing up front this way.
 *
 * The universal question: a CONNECT to a namespace no server has. Every Socket.IO server answers
 * it on the same connection, with CONNECT_ERROR "Invalid namespace" (a server whose namespaces
 * match any name accepts it instead, and we leave at once): an answer proves the connection alive
 * even when nothing on the server answers heartbeats.
 * @internal
 */
import type { Socket } from 'socket.io-client';
import { defaultClock } from '../clock';
import { DEFAULTS, WIRE } from '../constants';
import { LifelineError } from '../errors';
import { Heartbeat, type HeartbeatContext, type HeartbeatShared } from '../heartbeat';
import { deadline } from '../deadline';
import type { Transport, TransportFailure, TransportName } from './types';

const VERIFY_NAMESPACE = '/lifeline:verify';

/** Asks the universal question; `answered` is called once when the server answers. Returns `off`. */
function askAnything(socket: Socket, answered: () => void): () => void {
  const probe = socket.io.socket(VERIFY_NAMESPACE);
  const done = () => {
    off();
    if (probe.connected) probe.disconnect();
    answered();
  };
  const off = () => void probe.off('connect_error', done).off('connect', done);
  probe.on('connect_error', done).on('connect', done).connect();
  return off;
}

/** A round trip, or a `LifelineError` (`TIMEOUT`, or `UNREACHABLE` when the connection ends first). */
function roundTrip(ask: (answered: () => void) => (() => void) | void, timeoutMs: number, name: TransportName, pending?: Set<() => void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: LifelineError) => {
      pending?.delete(cancel);
      stop();
      off?.();
      if (error) reject(error);
      else resolve();
    };
    const cancel = () => settle(new LifelineError('UNREACHABLE', `The ${name} connection closed before the ping was answered.`, { transport: name }));
    const stop = deadline(timeoutMs, () => settle(new LifelineError('TIMEOUT', `No answer to a ping within ${timeoutMs} ms over ${name}.`, { timeoutMs, transport: name })));
    pending?.add(cancel);
    const off = ask(() => settle());
  });
}

/** Heartbeat and pings of one open Socket.IO connection. @internal */
export class Liveness {
  readonly #socket: Socket;
  readonly #name: TransportName;
  readonly #ctx: HeartbeatContext | undefined;
  readonly #heartbeat: Heartbeat | null = null;
  readonly #pings = new Set<() => void>();
  #offWake: (() => void) | undefined;

  readonly #dead: () => boolean;

  /** `dead()`: the transport closed (maybe while this module loaded). */
  constructor(socket: Socket, name: TransportName, ctx: HeartbeatContext | undefined, fail: (failure: TransportFailure) => void, dead: () => boolean) {
    this.#socket = socket;
    this.#name = name;
    this.#ctx = ctx;
    this.#dead = dead;
    if (!ctx || dead()) return;
    const heartbeat = (this.#heartbeat = new Heartbeat(
      ctx,
      defaultClock,
      (event, answered) => socket.emit(event, answered),
      () => void askAnything(socket, () => {}), // its answer arrives as a frame: heard
      () => fail({ kind: 'silent', opened: true, reason: `${name} went silent: no answer to a heartbeat within ${ctx.timeoutMs} ms` }),
    ));
    const wakes = ctx.shared?.wakes;
    wakes?.add(heartbeat.wake);
    this.#offWake = () => wakes?.delete(heartbeat.wake);
    heartbeat.start();
  }

  /** A frame arrived. */
  heard(): void {
    this.#heartbeat?.heard();
  }

  /** A heartbeat when this server answers them, else the universal question. */
  ping(timeoutMs: number): Promise<void> {
    const ctx = this.#ctx;
    const socket = this.#socket;
    const viaHeartbeat = ctx && (ctx.custom || this.#heartbeat?.answers === 'yes');
    const trip = roundTrip((answered) => (viaHeartbeat ? void socket.emit(ctx.event, answered) : askAnything(socket, answered)), timeoutMs, this.#name, this.#pings);
    if (this.#dead()) this.stop(); // rejects it: UNREACHABLE
    return trip;
  }

  stop(): void {
    this.#heartbeat?.stop();
    this.#offWake?.();
    for (const cancel of [...this.#pings]) cancel();
  }
}

/**
 * `client.ping()`: one round trip, ms, also kept as `shared.rtt`. The transport's own `ping()`,
 * else (a custom transport) the heartbeat event with an ack through `send`. Rejects with
 * `UNREACHABLE` when there is no transport, `TIMEOUT` when unanswered.
 * @internal
 */
export async function pingOver(transport: Transport | null, timeoutMs: number = DEFAULTS.ackTimeoutMs, heartbeat: { readonly event: string } | false, shared: HeartbeatShared): Promise<number> {
  if (!transport) throw new LifelineError('UNREACHABLE', 'Cannot ping: not connected right now.', {});
  const at = defaultClock.now();
  if (transport.ping) await transport.ping(timeoutMs);
  else {
    const event = heartbeat ? heartbeat.event : WIRE.heartbeat;
    await roundTrip((answered) => transport.send(event, undefined, (error) => !error && answered()), timeoutMs, transport.name);
  }
  return (shared.rtt = defaultClock.now() - at);
}
