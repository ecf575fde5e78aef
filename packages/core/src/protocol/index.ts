/**
 * `@lifeline/core/protocol`: the Lifeline wire protocol (docs/protocol.md), written once. The
 * event names, join and leave answers, the id (cursor) rules and the HTTP shapes that the
 * client, `@lifeline/server` (which bundles this module into its build) and the testkit all
 * import from here. Pure: no I/O, no dependencies. One file per part, so an app's bundler puts
 * each where it is used (the HTTP shapes go with the lazily loaded `http` rung).
 */
export { WIRE, type JoinAnswer, type JoinRequest, type LeaveAnswer, type WireEvent } from './wire';
export { HTTP, type EmitRequest, type ErrorAnswer, type PollAnswer } from './http';
export { compareIds, isAfter, isEventId, isWellFormedId, ZERO_CURSOR } from './ids';
