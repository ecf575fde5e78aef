/**
 * `@lifeline/core/protocols`: channel protocols for Socket.IO servers without the companion
 * (their own `subscribe` event). A subpath, so that apps on `@lifeline/server` pay nothing.
 */
export { batchedChannelProtocol } from './transports/joinBatch';
export type { BatchedChannelProtocol } from './transports/joinBatch';
