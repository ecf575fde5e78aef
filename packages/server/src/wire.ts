/**
 * Wire names of the Lifeline protocol over Socket.IO (docs/protocol.md): the protocol's own,
 * written once in `@lifeline/core/protocol` (bundled into this package's build).
 */
export { WIRE } from '@lifeline/core/protocol';
