/**
 * `POST {base}/emit` with `{ event, data, id }`: runs the `on(event)` handler once per id and
 * answers `{ ack }` with its return value. A failed run is not remembered: a retry runs it again.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LifelineServerError } from '../errors';
import { readJsonBody } from './body';
import type { HttpContext } from './context';
import type { IdempotencyCache } from './idempotency';
import { parseEmitBody } from './parse';
import { sendJson } from './respond';
import { HTTP, WIRE } from '@lifeline/core/protocol';

export async function handleEmit<User>(ctx: HttpContext<User>, cache: IdempotencyCache, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await ctx.authenticate(req);
  let body = parseEmitBody(await readJsonBody(req, ctx.maxBodyBytes, ctx.bodyTimeoutMs));
  // `lifeline:emit` (a shared connection's leader): its own id is the idempotency key, as over Socket.IO.
  if (body.event === WIRE.emit) body = parseEmitBody(body.data);
  if (!ctx.handlers.has(body.event)) {
    throw new LifelineServerError('UNKNOWN_EVENT', `No handler for "${body.event}": register one with lifeline.on("${body.event}", handler).`, { event: body.event });
  }
  // Ids are scoped to the credentials, so one user cannot read another's acks by guessing ids.
  const scope = createHash('sha256')
    .update(`${req.headers.authorization ?? ''}\n${String(req.headers[HTTP.authHeader] ?? '')}`)
    .digest('base64url');
  // A failure is reported where the handler ran: once per run, not again for each concurrent duplicate sharing it.
  const outcome = await cache.run(`${scope}:${body.id}`, () =>
    ctx.handlers.run(body.event, body.data, user).catch((error: unknown) => {
      ctx.onError(error, { where: `on("${body.event}") handler` });
      throw error;
    }),
  );
  if (outcome.ok) return sendJson(res, 200, { ack: outcome.value });
  throw new LifelineServerError('HANDLER_ERROR', `The "${body.event}" handler failed.`, { event: body.event });
}
