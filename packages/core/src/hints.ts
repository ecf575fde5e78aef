/**
 * The hint texts: what a person can do about each failure. Loaded lazily (a chunk of its own in
 * an app's bundle) the first time a `LifelineError` is made, so the page does not pay for texts
 * it shows only when something breaks; `errors.ts` gives a short pointer to docs/errors.md until
 * it has loaded (or when it cannot load). Nothing here may be imported statically from the
 * client's up-front code: `bench/size/size.test.ts` checks that.
 * @internal
 */
import type { LifelineErrorCode, LifelineErrorDetails, LifelineErrorFacts } from './errors';

type HintBuilder = (d: LifelineErrorFacts) => string;

const nsHint: HintBuilder = (d) => {
  const ns = d.namespace ?? '/';
  const parts = [`The server has no Socket.IO namespace "${ns}": \`namespace\` must name one it listens on.`];
  // "/api/notifications": an HTTP prefix glued to the namespace.
  const m = /^\/([^/]+)\/(.+)$/.exec(ns);
  if (m) parts.push(`If "/${m[1]}" is an HTTP prefix of a proxy, try \`path: '/${m[1]}/socket.io'\` with \`namespace: '/${m[2]}'\`.`);
  parts.push(
    `A NestJS @WebSocketGateway({ namespace: 'notifications' }) listens on "/notifications"; a gateway (or \`io\`) without \`namespace\` listens on "/".`,
    `An HTTP prefix such as "/api" (a reverse proxy serving the app under /api) is not a namespace: it goes in \`path\` ('/api/socket.io').`,
  );
  return parts.join(' ');
};

const str = (v: unknown, fallback = '?'): string => (v === undefined ? fallback : String(v));

/** One hint builder per code: adding a code without a hint is a type error. */
export const HINTS = {
  UNAUTHORIZED: (d) =>
    `The server refused the credentials${d.serverMessage ? ` ("${d.serverMessage}")` : ''}. Make \`auth\` a function that returns a fresh token: Lifeline calls it before every attempt.`,
  FORBIDDEN: (d) =>
    `The server does not let this user ${d.channel ? `join channel "${d.channel}"` : 'do that'}. Check the server's \`authorize(user, channel)\`.`,
  INVALID_NAMESPACE: nsHint,
  UPGRADE_BLOCKED: (d) =>
    `HTTP reaches ${d.url ?? 'the server'} but the WebSocket upgrade fails: a proxy in between drops it. In nginx add \`proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";\` to the Socket.IO location. Lifeline keeps working over polling meanwhile.`,
  TIMEOUT: (d) =>
    `No answer from ${d.url ?? 'the server'} within ${d.timeoutMs ?? '?'} ms${d.transport ? ` over ${d.transport}` : ''}. Check that the server runs and that a proxy does not hold the request; raise \`reconnect.timeoutMs\` on slow networks.`,
  UNREACHABLE: (d) =>
    `Cannot reach ${d.url ?? 'the server'}${d.status ? ` (HTTP ${d.status})` : ''}. Is the server up and the URL right? Lifeline keeps retrying with backoff.`,
  PROTOCOL: (d) =>
    `The server answered something Lifeline cannot read${d.status ? ` (HTTP ${d.status})` : ''}${d.bodySnippet ? `: ${JSON.stringify(d.bodySnippet.slice(0, 80))}` : ''}. An HTML page usually means a proxy or the app router answered instead of the Lifeline endpoint: check the \`http.url\` / \`path\` and the proxy's routes.`,
  VALIDATION: (d) =>
    `A "${d.event ?? '?'}" payload did not match its schema and was dropped${d.issues?.[0] ? ` (${d.issues[0].message})` : ''}. Align the schema in \`events\` with what the server sends.`,
  ACK_TIMEOUT: (d) =>
    `The server did not acknowledge "${d.event ?? '?'}" within ${d.timeoutMs ?? '?'} ms. Make sure the server handler calls its ack callback (or returns a value with @lifeline/server), or raise \`timeoutMs\`.`,
  OUTBOX_FULL: (d) =>
    `The offline outbox is full, so "${d.event ?? '?'}" was not queued. Raise \`outbox.maxSize\`, or check connectivity before emitting.`,
  CURSOR_EXPIRED: (d) =>
    `Channel "${d.channel ?? '?'}" was away longer than the server log keeps, so some events are gone; Lifeline resumed from now. Refetch the channel's state, or raise the store's \`maxEvents\`.`,
  CLOSED: () => `The client was closed with close(); create a new client to reconnect.`,
  BAD_INPUT: (d) => `${d.serverMessage ?? 'An argument was invalid.'} Check the call against the API docs.`,
} satisfies { [C in LifelineErrorCode]: (d: LifelineErrorDetails<C>) => string };


/**
 * Hints of particular failures, more precise than their code's (the `hint` key an internal
 * error is made with, see `errors.ts`' `withHint`).
 */
export const SPECIFIC = {
  sticky: () =>
    'Several Socket.IO nodes behind a load balancer need sticky sessions for polling: every request of a session must reach the node that started it (nginx `ip_hash` or `hash $remote_addr consistent`, HAProxy `balance source` or a cookie, @socket.io/sticky for Node cluster). Alternatively let clients keep WebSocket (fix the proxy that blocks the upgrade: one WebSocket connection needs no stickiness) or add the `http` rung with @lifeline/server, which is stateless.',
  silent: () =>
    "Something between client and server passes the handshake, then drops the traffic (a proxy or antivirus that buffers WebSocket frames, an idle timeout shorter than the ping interval). Lifeline falls back to the next rung at once and climbs back only over a connection that hears from the server; check the proxy's WebSocket support and timeouts.",
  unacknowledged: (d) =>
    `The Engine.IO handshake works, so the network and proxies are fine: the server's Socket.IO layer holds the connection. Look for a middleware on namespace "${str(d.namespace, '/')}" (\`io.use\` / \`io.of('${str(d.namespace, '/')}').use\`) that never calls \`next()\` on some path, e.g. an auth check awaiting a database that hangs. Lifeline retries with backoff; raise \`reconnect.timeoutMs\` if the middleware is merely slow.`,
  middleware: (d) =>
    `A Socket.IO middleware on the server rejected the handshake with "${str(d.serverMessage)}". If it is an auth refusal, pass an \`isAuthError\` predicate that recognizes it.`,
  joinTimeout: (d) =>
    `Nothing on the server answers channel joins on namespace "${str(d.namespace, '/')}": run @lifeline/server's createLifeline(io.of('${str(d.namespace, '/')}')) there (a plain Socket.IO server, or a NestJS gateway on another namespace, never answers \`lifeline:join\`), or pass a \`channels\` protocol that speaks your server's join event. Lifeline joins again on the next reconnect.`,
  pathBlocked: (d) =>
    `A proxy, WAF or filter in front of the server refuses the Socket.IO path ${str(d.path)} itself, not only the upgrade: allow it there (polling and the upgrade). Lifeline works over ${str(d.to)} meanwhile and keeps probing WebSocket.`,
  payload: () => 'Emit JSON data (plus binary): turn a BigInt into a string, and send ids instead of objects that refer to each other.',
  handler: () => 'Pass a function: client.on(event, (payload, meta) => …).',
  channelName: () => "Pass the room name, e.g. client.channel('ticket:42').",
  channelParams: () => "Pass JSON, e.g. client.channel('logs', { params: { level: 'error' } }).",
  channelOf: (d) => `Add \`channelOf(event, args)\` to your \`channels\` protocol: it names the channel of "${str(d.event)}" (an unmodified server's \`io.to(room).emit\` does not say). Or listen with client.on().`,
  eventName: () => "Call client.emit('comment:add', data).",
  outboxAge: () => 'Raise `outbox.maxAgeMs`, or check connectivity before emitting.',
  volatileAck: () => 'Drop `ack` (a volatile emit is fire-and-forget) or drop `volatile` (an emit with ack is queued until delivered).',
  chunk: () =>
    'A part of Lifeline that loads on first use (a chunk of the app’s bundle) could not be downloaded: the network is down, or a new deploy removed the old chunk (reload the page). Lifeline tries to load it again on the next use.',
  channelOptions: () => "Pass `rewind` as a number of events from 1 to 1000, and `since` as an event id such as '1041' (an event's meta.id).",
  // Option validation (options.ts): the message names the option and the value given (it ships
  // with the page); these say what the option must be and what to pass (they load lazily).
  optionsObject: () => "createClient needs an options object: call createClient({ url: 'https://api.example.com' }).",
  url: () => "`url` must be an absolute URL or a path. Pass the server's origin, e.g. `url: 'https://api.example.com'`, or in a browser leave it out (the page's origin) or pass a path ('/').",
  urlScheme: (d) => `\`url\` must use http(s) or ws(s), got "${str(d.value).split('//')[0]}". Pass the server's origin, e.g. \`url: 'https://api.example.com'\`.`,
  urlPath: (d) => {
    const prefix = str(d.path).replace(/\/+$/, '');
    return (
      `\`url\` "${str(d.value)}" has a path ("${str(d.path)}"), which Socket.IO would take as the namespace. ` +
      `Pass the origin only, \`url: '${str(d.origin)}'\`, and say what "${prefix}" is. ` +
      `An HTTP prefix in front of the server (a reverse proxy routes ${prefix}/* to it): \`path: '${prefix}/socket.io'\`. ` +
      `A Socket.IO namespace (the server uses \`io.of('${prefix}')\`, or a NestJS \`@WebSocketGateway({ namespace: '${prefix.slice(1)}' })\`): \`namespace: '${prefix}'\`.`
    );
  },
  namespace: (d) => `\`namespace\` must start with "/": write it as "/${str(d.value, '').replace(/^\/*/, '')}".`,
  path: () => "`path` must start with \"/\"; Socket.IO's default is '/socket.io'.",
  transports: () => "`transports` must be a non-empty array, e.g. ['websocket', 'polling'].",
  transport: (d) => `Unknown transport ${JSON.stringify(d.value) ?? 'undefined'}: valid transports are 'websocket', 'polling' and 'http'.`,
  transportTwice: () => '`transports` lists a transport twice: list each transport once, best first.',
  httpOptions: () => "The 'http' transport needs `http` options: pass `http: { url: 'https://api.example.com/lifeline' }` or `http: { poll }`.",
  number: (d) =>
    `\`${str(d.option)}\` must be a number between ${str(d.min)} and ${d.max === Infinity ? 'infinity' : str(d.max)}: pass a number ≥ ${str(d.min)}, or leave it out for the default (${str(d.fallback)}).`,
  auth: () => '`auth` must be an object or a function: use `auth: async () => ({ token: await getToken() })`.',
  heartbeat: () =>
    "`heartbeat` must be { intervalMs?, timeoutMs?, event?: string } or false: use `heartbeat: { intervalMs: 2000, timeoutMs: 2000 }`, `heartbeat: { event: 'ping' }` for a server that acks its own event, or `false` to rely on Engine.IO's ping alone.",
  reserved: (d) => `\`events\` may not declare "${str(d.event)}": it is a reserved lifecycle event. Rename the server event (e.g. "app:${str(d.event)}").`,
  schema: (d) => `\`events["${str(d.event)}"]\` is not a Standard Schema: use a zod, valibot or arktype schema (any Standard Schema v1).`,
  share: () => "`share` must be true, false or { key: string }: use `share: true`, or `share: { key: userId }` to keep different users' tabs apart.",
} satisfies Record<string, HintBuilder>;

/** A hint of `SPECIFIC`. @internal */
export type SpecificHint = keyof typeof SPECIFIC;

/**
 * Messages of errors Lifeline reports later (`error` events, rejections: errors.ts `reported`),
 * which wait for these texts anyway: their words load here, not with the page.
 */
export const SAID = {
  channelOf: (d) => `"${str(d.event)}" has no channel for room.on.`,
  channelOfThrew: (d) => `channelOf("${str(d.event)}") threw: ${str(d.serverMessage)}`,
  joinRefused: (d) => `The server refused to join channel "${str(d.channel)}".`,
  joinBad: (d) => `The server refused channel "${str(d.channel)}".`,
  joinTimeout: (d) => `Joining channel "${str(d.channel)}" got no answer.`,
  joinUnexpected: (d) => `Unexpected answer joining channel "${str(d.channel)}"${d.serverMessage ? `: ${d.serverMessage}` : ''}.`,
  expired: (d) => `Channel "${str(d.channel)}" missed more events than the server keeps.`,
  invalid: (d) => `Invalid "${str(d.event)}" payload: ${(d.issues ?? []).map((i) => i.message).join('; ')}.`,
  outboxFull: (d) => `The outbox is full: "${str(d.event)}" was not queued.`,
  outboxAge: (d) => `"${str(d.event)}" waited in the outbox longer than outbox.maxAgeMs and was dropped.`,
  ackTimeout: (d) => `No ack for "${str(d.event)}" within ${str(d.timeoutMs)} ms.`,
} satisfies Record<string, HintBuilder>;

/** A message of `SAID`. @internal */
export type Said = keyof typeof SAID;

/** The hint for an error: its specific one when it was made with one (and there is one), else its code's. @internal */
export function hintFor(code: LifelineErrorCode, details: LifelineErrorFacts, specific?: SpecificHint | Said): string {
  const own = specific && (SPECIFIC as Partial<Record<string, HintBuilder>>)[specific];
  // An error of `code` carries that code's facts (the constructor checks them).
  return own ? own(details) : (HINTS[code] as HintBuilder)(details);
}
