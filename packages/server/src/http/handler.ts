/**
 * The `(req, res, next?)` router: `GET …/poll` and `POST …/emit`, matched on the path's tail so
 * it works mounted at a prefix (node:http, Fastify) or stripped (Express `app.use('/lifeline', …)`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isServerError, LifelineServerError } from '../errors';
import type { LifelineHttpHandler } from '../types';
import type { HttpContext } from './context';
import { handleEmit } from './emit';
import { IdempotencyCache } from './idempotency';
import { handleHistory } from './history';
import { handlePoll } from './poll';
import { sendError, sendFailure } from './respond';
import { Waiters } from './waiters';

const ROUTES = { poll: 'GET', emit: 'POST', history: 'GET' } as const;
/** `Allow` of a 405: HEAD /poll is served too (answered at once, see poll.ts). */
const ALLOW = { poll: 'GET, HEAD', emit: 'POST', history: 'GET' } as const;

export function createHttpHandler<User>(ctx: HttpContext<User>): { handler: LifelineHttpHandler; waiters: Waiters; cache: IdempotencyCache } {
  const waiters = new Waiters(ctx.bus, ctx.store);
  const cache = new IdempotencyCache(ctx.idempotencyKeys);

  const handler: LifelineHttpHandler = (req: IncomingMessage, res: ServerResponse, next) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://lifeline.invalid');
    } catch {
      return sendError(res, new LifelineServerError('BAD_REQUEST', 'Malformed request URL.'));
    }
    const tail = /\/(poll|emit|history)\/?$/.exec(url.pathname)?.[1] as keyof typeof ROUTES | undefined;
    if (!tail) {
      if (next) return next();
      return sendError(res, new LifelineServerError('NOT_FOUND', `No Lifeline endpoint at ${url.pathname}: use …/poll, …/emit or …/history.`));
    }
    if (req.method !== ROUTES[tail] && !(tail === 'poll' && req.method === 'HEAD')) {
      return sendError(res, new LifelineServerError('METHOD_NOT_ALLOWED', `Use ${ROUTES[tail]} for /${tail}.`), { allow: ALLOW[tail] });
    }
    if (ctx.closed()) return sendError(res, new LifelineServerError('CLOSED', 'The Lifeline companion is shutting down.'), { 'retry-after': '1' });
    const work = tail === 'poll' ? handlePoll(ctx, waiters, req, res, url) : tail === 'history' ? handleHistory(ctx, req, res, url) : handleEmit(ctx, cache, req, res);
    work.catch((error: unknown) => {
      if (!isServerError(error)) ctx.onError(error, { where: `http /${tail}` });
      if (isServerError(error, 'PAYLOAD_TOO_LARGE') || isServerError(error, 'REQUEST_TIMEOUT')) {
        // Answer, then drop the connection instead of reading (or waiting for) the rest of the upload.
        sendError(res, error, { connection: 'close' });
        req.resume();
        return;
      }
      sendFailure(res, error);
    });
  };
  return { handler, waiters, cache };
}
