import { createLazyHttpTransport } from './httpLazy';
import { createPollingTransport } from './polling';
import type { TransportFactory, TransportName } from './types';
import { createWebSocketTransport } from './websocket';

/** The built-in transports by name. @internal */
export const TRANSPORTS: Readonly<Record<TransportName, TransportFactory>> = {
  websocket: createWebSocketTransport,
  polling: createPollingTransport,
  http: createLazyHttpTransport,
};

/** True for a built-in transport name. @internal */
export function isTransportName(value: unknown): value is TransportName {
  return value === 'websocket' || value === 'polling' || value === 'http';
}
