/**
 * `channel.history()` and joins with `rewind`, loaded on first use (a dynamic import, its own
 * chunk): an app that uses neither pays nothing up front. The wire side is docs/protocol.md,
 * "History": the transport asks (`lifeline:history` over Socket.IO, `GET …/history` over http)
 * and returns the answer as received; this module validates it.
 * @internal
 */
import type { ChannelEntry, ChannelRegistryDeps } from './channels';
import { DEFAULTS } from './constants';
import { isAfter, isWellFormedId } from './protocol/ids';
import { LifelineError, messageOf } from './errors';
import type { IncomingEvent, Transport } from './transports/types';
import type { EventSchemas, HistoryEvent, HistoryQuery } from './types';

/** Most events one history request may ask for (the server's cap too). */
export const MAX_HISTORY = 1000;

type Page = { readonly ok: true; readonly events: IncomingEvent[]; readonly cursor: string | undefined } | { readonly ok: false; readonly error: LifelineError };

/** Reads a history answer: `{ ok: true, events: [{ id, channel, event, data }], cursor }` or `{ ok: false, code, message }`. */
export function parseHistory(reply: unknown, channel: string): Page {
  const r = (typeof reply === 'object' && reply !== null ? reply : {}) as { ok?: unknown; events?: unknown; cursor?: unknown; code?: unknown; message?: unknown };
  const details = { channel, serverMessage: typeof r.message === 'string' ? r.message : undefined };
  if (r.ok !== true) {
    const code = r.code === 'FORBIDDEN' || r.code === 'TIMEOUT' || r.code === 'UNREACHABLE' || r.code === 'UNAUTHORIZED' ? r.code : r.code === 'BAD_REQUEST' ? 'BAD_INPUT' : 'PROTOCOL';
    return { ok: false, error: new LifelineError(code, `History of channel "${channel}" was refused${r.code ? ` (${String(r.code)})` : ''}${details.serverMessage ? `: ${details.serverMessage}` : ''}.`, details) };
  }
  const events: IncomingEvent[] = [];
  for (const e of Array.isArray(r.events) ? (r.events as unknown[]) : []) {
    const x = (typeof e === 'object' && e !== null ? e : {}) as { id?: unknown; event?: unknown; data?: unknown };
    if (typeof x.id !== 'string' || !isWellFormedId(x.id) || typeof x.event !== 'string') {
      return { ok: false, error: new LifelineError('PROTOCOL', `History of channel "${channel}" holds an entry that is not { id, event, data }.`, { channel, bodySnippet: JSON.stringify(e)?.slice(0, 200) }) };
    }
    events.push({ id: x.id, channel, event: x.event, data: x.data });
  }
  if (!Array.isArray(r.events)) return { ok: false, error: new LifelineError('PROTOCOL', `History answer for channel "${channel}" has no events array.`, details) };
  return { ok: true, events, cursor: typeof r.cursor === 'string' && isWellFormedId(r.cursor) ? r.cursor : undefined };
}

/** Asks `transport` for a page; never rejects. */
async function ask(transport: Transport, channel: string, limit: number, before: string | undefined, timeoutMs: number): Promise<Page> {
  if (!transport.history) {
    return { ok: false, error: new LifelineError('PROTOCOL', `The ${transport.name} transport cannot read history.`, { channel, transport: transport.name }, { hint: 'History needs @lifeline/server (or a backend speaking lifeline:history) and a transport with history().' }) };
  }
  try {
    return parseHistory(await transport.history(channel, before === undefined ? { limit } : { limit, before }, timeoutMs), channel);
  } catch (e) {
    // The Socket.IO rungs reject when no ack came in time (or the transport closed).
    return { ok: false, error: new LifelineError('TIMEOUT', `History of channel "${channel}" got no answer: ${messageOf(e)}`, { channel, timeoutMs, transport: transport.name }) };
  }
}

/**
 * The active transport, waiting for one up to `timeoutMs` (then `TIMEOUT`); `close()` ends the
 * wait at once (`CLOSED`), and its timer is the client's (counted, released).
 */
function whenActive(deps: ChannelRegistryDeps, timeoutMs: number): Promise<Transport> {
  const now = deps.active();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const done = () => {
      deps.clock.clearTimeout(timer);
      off();
    };
    const off = deps.onState((state) => {
      const t = deps.active();
      if (t) {
        done();
        resolve(t);
      } else if (state.status === 'closed') {
        done();
        reject(new LifelineError('CLOSED', 'Cannot read the history: the client was closed.'));
      }
    });
    const timer = deps.clock.setTimeout(() => {
      done();
      reject(new LifelineError('TIMEOUT', `Not connected within ${timeoutMs} ms: the history was not read.`, { timeoutMs }));
    }, timeoutMs);
  });
}

/**
 * `channel.history(query)`: the channel's last events, oldest first, each validated by its
 * schema in `events` (an invalid one is dropped and reported as a `VALIDATION` error).
 */
export async function readHistory<E extends EventSchemas>(deps: ChannelRegistryDeps, channel: string, query: HistoryQuery): Promise<ReadonlyArray<HistoryEvent<E>>> {
  const { limit, before, timeoutMs = DEFAULTS.ackTimeoutMs } = (query ?? {}) as HistoryQuery;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY) {
    throw new LifelineError('BAD_INPUT', `history() needs a limit from 1 to ${MAX_HISTORY}, got ${JSON.stringify(limit)}.`, { channel }, { hint: "Call channel.history({ limit: 50 })." });
  }
  if (before !== undefined && !isWellFormedId(before)) {
    throw new LifelineError('BAD_INPUT', `history(): before must be an event id, got ${JSON.stringify(before)}.`, { channel }, { hint: 'Pass the id of the oldest event you have (meta.id, or a history entry\'s id).' });
  }
  const page = await ask(await whenActive(deps, timeoutMs), channel, limit, before, timeoutMs);
  if (!page.ok) throw page.error;
  const out: Array<HistoryEvent<E>> = [];
  for (const e of page.events) {
    const schema = Object.hasOwn(deps.schemas, e.event) ? deps.schemas[e.event] : undefined;
    let data = e.data;
    if (schema) {
      let result;
      try {
        result = await schema['~standard'].validate(e.data);
      } catch (error) {
        result = { issues: [{ message: messageOf(error) }] };
      }
      if (result.issues) {
        deps.error(new LifelineError('VALIDATION', `Invalid "${e.event}" payload in the history of "${channel}": ${result.issues.map((i) => i.message).join('; ')}.`, { event: e.event, channel, issues: result.issues }));
        continue;
      }
      data = result.value;
    }
    out.push(Object.freeze({ id: e.id!, event: e.event, data }) as HistoryEvent<E>);
  }
  return Object.freeze(out);
}

/**
 * The history part of a join with `rewind`: delivers the channel's last `entry.rewind` events
 * (through the client's ordinary path: validated, deduplicated, advancing the cursor) and sets
 * the cursor to the log position they end at, so the join that follows continues from exactly
 * there. False when the answer did not come on a transport that is still carrying traffic: the
 * rewind is tried again on the next one. Any other failure is reported and the channel joins
 * from now.
 */
export async function rewind(transport: Transport, entry: ChannelEntry, deps: ChannelRegistryDeps): Promise<boolean> {
  const page = await ask(transport, entry.name, entry.rewind, undefined, DEFAULTS.ackTimeoutMs);
  if (!entry.rewind || entry.cursor !== undefined) return true; // done meanwhile, or a `since` cursor
  if (!page.ok) {
    if (transport !== deps.active()) return false;
    entry.rewind = 0;
    // FORBIDDEN: the join that follows says so, once.
    if (page.error.code !== 'FORBIDDEN') deps.error(page.error);
    return true;
  }
  entry.rewind = 0;
  for (const e of page.events) deps.deliver(e, transport.name);
  if (page.cursor !== undefined && isAfter(page.cursor, entry.cursor)) entry.cursor = page.cursor;
  return true;
}
