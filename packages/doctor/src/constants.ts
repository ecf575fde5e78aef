/** Defaults shared by the probes, the CLI and the report. */

/** Socket.IO's default `path`. */
export const DEFAULT_PATH = '/socket.io';

/** Per-check timeout when none is given, ms. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** How often the Lifeline client probes WebSocket again while on a lower rung (its `upgradeIntervalMs` default), ms. */
export const UPGRADE_INTERVAL_MS = 30_000;

/** Most bytes of a response body the doctor reads (and of that, how many it quotes). */
export const MAX_BODY = 64 * 1024;
export const SNIPPET = 80;

/** The nginx lines that let a WebSocket upgrade through (in backticks: the report never wraps inside them). */
export const NGINX_FIX = '`proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";`';

/** Messages a Socket.IO auth middleware typically refuses with: the same pattern as core's default `isAuthError` (keep them equal, so the doctor predicts what the client does). */
export const AUTH_REFUSAL = /unauthori[sz]ed|jwt|invalid token|token (expired|invalid|missing)|authentication|not authenticated|forbidden|auth(entication)? (error|failed)|credentials/i;
