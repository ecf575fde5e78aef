/**
 * Credentials from either carrier, in one shape: the socket `auth` payload, or over HTTP the
 * `Lifeline-Auth` header (base64url JSON object) with `token` from `Authorization: Bearer …`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { LifelineServerError } from './errors';
import type { AuthContext, Authenticate, AuthPayload } from './types';
import { HTTP } from '@lifeline/core/protocol';

/** The request context `authenticate` gets: headers and the parsed `Cookie` header. */
export function authContext(headers: IncomingHttpHeaders): AuthContext {
  const cookies: Record<string, string> = {};
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq < 0 || name === '' || Object.hasOwn(cookies, name)) continue; // the first of a name wins, as browsers order them
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return { headers, cookies };
}

/** The socket handshake's `auth`, or `{}` when it is not an object. */
export function authFromHandshake(auth: unknown): AuthPayload {
  return typeof auth === 'object' && auth !== null && !Array.isArray(auth) ? (auth as AuthPayload) : {};
}

/** Reads HTTP credentials; a malformed `Lifeline-Auth` header is a 400. */
export function authFromHeaders(headers: IncomingHttpHeaders): AuthPayload {
  let auth: Record<string, unknown> = {};
  const raw = headers[HTTP.authHeader];
  if (typeof raw === 'string' && raw !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LifelineServerError('BAD_REQUEST', 'The Lifeline-Auth header must be a base64url-encoded JSON object.');
    }
    auth = { ...(parsed as Record<string, unknown>) };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer?.[1]) auth.token = bearer[1];
  return auth;
}

/** Runs the app's `authenticate`; anything but a user (null, undefined, a throw) is refused. */
export async function resolveUser<User>(
  authenticate: Authenticate<User>,
  auth: AuthPayload,
  context: AuthContext,
  onError: (error: unknown) => void,
): Promise<User | undefined> {
  try {
    const user = await authenticate(auth, context);
    return user === null || user === undefined ? undefined : user;
  } catch (error) {
    onError(error);
    return undefined;
  }
}
