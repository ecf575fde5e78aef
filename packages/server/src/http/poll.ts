/**
 * `GET {base}/poll?channels=a,b&cursor=c&wait=s`: events of the given channels after `cursor`,
 * held up to `wait` seconds when there are none yet. `HEAD` answers at once, without a body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFiltered } from '../replay';
import type { HttpContext } from './context';
import { parsePollQuery } from './parse';
import { sendHeadOk, sendJson } from './respond';
import type { Waiters } from './waiters';

/** How long after a poll's `wait` its poller stays present without the next poll, s. */
export const PRESENCE_SLACK_S = 10;

/** Most events in one poll answer; the rest come with the next poll. */
export const MAX_EVENTS_PER_POLL = 1000;

export async function handlePoll<User>(ctx: HttpContext<User>, waiters: Waiters, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const user = await ctx.authenticate(req);
  const query = parsePollQuery(url.search, ctx.maxWaitSeconds, ctx.maxChannels);
  await ctx.authorizeAll(user, query.channels);
  // HEAD: the status a GET would get from these checks, at once: no long-poll, no read of the log
  // (so a cursor's expiry, 410, is not checked). For monitors and "are my credentials good?".
  if (req.method === 'HEAD') return sendHeadOk(res);
  // Present in the polled channels until the next poll is due (the long-poll, plus slack for the
  // answer to travel and the next request to arrive).
  const presence = ctx.presence && query.sid ? () => ctx.presence!(query.sid!, user, query.channels, Date.now() + (query.wait + PRESENCE_SLACK_S) * 1000) : undefined;
  presence?.();
  const channels = new Set(query.channels);
  const keep = (e: { channel: string }) => channels.has(e.channel);
  const start = query.cursor ?? (await ctx.store.latest());

  // Listen before reading, so an event logged between the read and the wait still wakes us.
  // With no channels a poll is a heartbeat: held for `wait` like any other. A client that went
  // away already (during authentication, say: its 'close' has fired) is not waited for.
  const waiter = query.wait > 0 && !ctx.closed() && !res.destroyed ? waiters.wait(channels, query.wait * 1000) : undefined;
  const onGone = () => waiter?.cancel();
  res.on('close', onGone);
  try {
    let result = await readFiltered(ctx.store, start, keep, MAX_EVENTS_PER_POLL);
    // Presence that changed since this poller's last answer (between that answer and this poll,
    // when no poll of it was waiting to be woken) is an answer now, like an event after the cursor.
    const unseen = () => presence !== undefined && ctx.presenceChanged!(query.sid!, JSON.stringify(presence()), false);
    if (result.events.length === 0 && waiter && !unseen()) {
      let why = await waiter.settled;
      // Woken by a presence change this poller has already seen (it came with an earlier answer):
      // keep holding, or the client would take the early answers for a host cutting long-polls.
      const until = Date.now() + query.wait * 1000;
      while (why === 'presence' && !unseen() && Date.now() < until && !res.destroyed) {
        const again = waiters.wait(channels, until - Date.now());
        const onGoneAgain = () => again.cancel();
        res.once('close', onGoneAgain);
        why = await again.settled;
        res.off('close', onGoneAgain);
      }
      if (res.destroyed || res.writableEnded) return; // client went away: nothing to send
      // Woken by an event: read together with the other polls it woke (one store read, not one each).
      if (why === 'event') result = await readFiltered(waiters.reads, result.cursor, keep, MAX_EVENTS_PER_POLL);
    }
    const snapshot = presence?.();
    if (snapshot) ctx.presenceChanged!(query.sid!, JSON.stringify(snapshot)); // what this poller has seen
    sendJson(res, 200, { events: result.events, cursor: result.cursor, ...(snapshot ? { presence: snapshot } : {}) });
  } finally {
    waiter?.cancel();
    res.off('close', onGone);
  }
}
