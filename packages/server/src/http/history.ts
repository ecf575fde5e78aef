/**
 * `GET {base}/history?channel=c&limit=n&before=id`: the channel's last events, oldest first,
 * `{ events, cursor }` (docs/protocol.md, "History"). Authorized like a poll of that channel.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LifelineServerError } from '../errors';
import { parseHistoryQuery, readHistory } from '../history';
import { channelRule, isChannel } from '../names';
import type { HttpContext } from './context';
import { sendJson } from './respond';

export async function handleHistory<User>(ctx: HttpContext<User>, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const user = await ctx.authenticate(req);
  const channel = url.searchParams.get('channel');
  if (!isChannel(channel)) throw new LifelineServerError('BAD_REQUEST', `channel: ${channelRule(channel)}`);
  const query = parseHistoryQuery(channel, url.searchParams.get('limit') ?? undefined, url.searchParams.get('before') ?? undefined);
  await ctx.authorizeAll(user, [channel]);
  sendJson(res, 200, await readHistory(ctx.store, query));
}
