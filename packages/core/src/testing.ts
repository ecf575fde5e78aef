/**
 * `@lifeline/core/testing` (unstable): live resource counts of a client, a fake transport for
 * unit tests, and a client factory that accepts test doubles (environment, storage, random).
 */
import type { ClientDeps } from './client';
import { createClientWith } from './createClient';
import { Emitter } from './emitter';
import { LifelineError } from './errors';
import { INSPECTORS, type ClientCounts } from './internals';
import type { ClientOptions } from './options';
import type { AckCallback, ChannelParams, IncomingEvent, JoinResult, Transport, TransportContext, TransportEvents, TransportFactory, TransportFailure, TransportFailureKind, TransportName } from './transports/types';
import type { EventSchemas, LifelineClient } from './types';

export type { ClientCounts } from './internals';
export type { ClientDeps } from './client';
export type { EnvironmentSource } from './environment';
export type { StorageLike } from './rungMemory';

/**
 * Live timers, listeners and sockets of a client: after `close()` all are 0.
 *
 * @example
 * ```ts
 * client.close();
 * expect(inspectClient(client)).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
 * ```
 */
export function inspectClient(client: LifelineClient<EventSchemas> | object): ClientCounts {
  const inspect = INSPECTORS.get(client);
  if (!inspect) throw new LifelineError('BAD_INPUT', 'inspectClient() needs a client made by createClient().');
  return inspect();
}

/**
 * `createClient` with injectable collaborators (fake transports, environment, storage, random).
 *
 * @example
 * ```ts
 * const fakes = createFakeTransports();
 * const client = createTestClient({ url: 'http://x.test' }, { factories: fakes.factories, storage: null });
 * ```
 */
export function createTestClient<E extends EventSchemas = EventSchemas>(options: ClientOptions<E>, deps: ClientDeps = {}): LifelineClient<E> {
  return createClientWith(options, deps);
}

/**
 * A scripted transport: the test decides when it opens, fails and what it receives.
 *
 * @example
 * ```ts
 * const ws = fakes.last('websocket')!;
 * ws.open();
 * ws.receive({ event: 'news', data: 1 });
 * ws.fail('transport-closed');
 * ```
 */
export class FakeTransport implements Transport {
  readonly name: TransportName;
  readonly context: TransportContext;
  readonly sent: Array<{ event: string; data: unknown; ack: AckCallback | undefined }> = [];
  /** Joins asked for, in order (`params` only when the channel has some). */
  readonly joins: Array<{ channel: string; cursor: string | undefined; params?: ChannelParams }> = [];
  readonly leaves: string[] = [];
  /** Answer to joins. @default { ok: true, cursor: '0' } */
  joinReply: (channel: string, cursor: string | undefined) => JoinResult | Promise<JoinResult> = () => ({ ok: true, cursor: '0' });
  connected = false;
  closed = false;
  readonly #events = new Emitter<TransportEvents>();

  constructor(name: TransportName, context: TransportContext) {
    this.name = name;
    this.context = context;
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  connect(): void {
    this.connected = true;
  }

  send(event: string, data: unknown, ack?: AckCallback): void {
    this.sent.push({ event, data, ack });
  }

  async join(channel: string, cursor: string | undefined, params?: ChannelParams): Promise<JoinResult> {
    this.joins.push(params === undefined ? { channel, cursor } : { channel, cursor, params });
    return this.joinReply(channel, cursor);
  }

  async leave(channel: string): Promise<void> {
    this.leaves.push(channel);
  }

  close(): void {
    this.closed = true;
    this.#events.removeAll();
  }

  /** Test: the connection is up. */
  open(): void {
    this.#events.emit('open');
  }

  /** Test: the first packet after `open` arrived (two-way traffic proven). */
  heard(): void {
    this.#events.emit('heard');
  }

  /** Test: a server event arrives. */
  receive(message: IncomingEvent): void {
    this.#events.emit('message', message);
  }

  /** Test: the connection fails (or dies, after `open()`); `refused`: the TCP connection was refused (nothing listens). */
  fail(kind: TransportFailureKind, error?: LifelineError, reason = `fake ${kind}`, refused?: boolean): void {
    const failure: TransportFailure = { kind, reason, opened: false, ...(error ? { error } : {}), ...(refused ? { refused } : {}) };
    this.closed = true;
    this.#events.emit('close', failure);
    this.#events.removeAll();
  }
}

/** Fake transports by name plus every instance created, newest last. */
export interface FakeTransports {
  readonly factories: Readonly<Record<TransportName, TransportFactory>>;
  readonly created: FakeTransport[];
  /** The newest instance (of `name`, when given). */
  last(name?: TransportName): FakeTransport | undefined;
}

/**
 * A fake transport factory for unit tests of the ladder and the client.
 *
 * @example
 * ```ts
 * const fakes = createFakeTransports();
 * const client = createTestClient({ url: 'http://x.test' }, { factories: fakes.factories });
 * fakes.last('websocket')!.open();
 * ```
 */
export function createFakeTransports(): FakeTransports {
  const created: FakeTransport[] = [];
  const make = (name: TransportName): TransportFactory => (ctx) => {
    const t = new FakeTransport(name, ctx);
    created.push(t);
    return t;
  };
  return {
    factories: { websocket: make('websocket'), polling: make('polling'), http: make('http') },
    created,
    last: (name) => [...created].reverse().find((t) => name === undefined || t.name === name),
  };
}
