import { SocketIoTransport } from './socketio';
import type { TransportFactory } from './types';

/**
 * The `websocket` rung: socket.io-client forced to `transports: ['websocket']`.
 *
 * @example
 * ```ts
 * const t = createWebSocketTransport(context); t.on('open', ready); t.connect();
 * ```
 */
export const createWebSocketTransport: TransportFactory = (context) => new SocketIoTransport('websocket', 'websocket', context);
