import type { LifelineErrorCode, LifelineErrorDetails } from './errors';

type HintBuilder = (d: LifelineErrorDetails) => string;

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
} satisfies Record<LifelineErrorCode, HintBuilder>;
