import { SocketIoTransport } from './socketio';
import type { TransportFactory } from './types';

/**
 * The `polling` rung: socket.io-client forced to `transports: ['polling']` (Engine.IO
 * long-polling), never upgraded in band.
 *
 * @example
 * ```ts
 * const t = createPollingTransport(context); t.on('open', ready); t.connect();
 * ```
 */
export const createPollingTransport: TransportFactory = (context) => new SocketIoTransport('polling', 'polling', context);
