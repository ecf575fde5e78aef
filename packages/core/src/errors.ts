import type { Said, SpecificHint } from './hints';

/**
 * Every way Lifeline can fail, as a closed union. Each code has a hint builder in `hints.ts`.
 */
export type LifelineErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INVALID_NAMESPACE'
  | 'UPGRADE_BLOCKED'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'PROTOCOL'
  | 'VALIDATION'
  | 'ACK_TIMEOUT'
  | 'OUTBOX_FULL'
  | 'CURSOR_EXPIRED'
  | 'CLOSED'
  | 'BAD_INPUT';

/**
 * Every fact a `LifelineError` can carry in `details`. Each code carries a subset
 * (`LifelineErrorDetailsMap`), all optional; no other key compiles, so a typo is a type error,
 * and so is a fact its code does not have.
 */
export interface LifelineErrorFacts {
  /** The URL (origin + path) the client talked to. */
  url?: string;
  /** The Socket.IO namespace asked for. */
  namespace?: string;
  /** The event name involved (validation, acks, outbox). */
  event?: string;
  /** The channel involved (joins, cursors). */
  channel?: string;
  /** The transport in use when it failed. */
  transport?: 'websocket' | 'polling' | 'http';
  /** HTTP status, when an HTTP answer was involved. */
  status?: number;
  /** The first bytes of an unexpected response body. */
  bodySnippet?: string;
  /** Timeout or age limit involved, in ms. */
  timeoutMs?: number;
  /** Standard Schema issues of a failed validation. */
  issues?: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }>;
  /** Server-supplied message, as received. */
  serverMessage?: string;
  /** The option that was invalid (`reconnect.delayMs`). */
  option?: string;
  /** The value given for `option`. */
  value?: unknown;
  /** The bounds and default of a numeric `option`. */
  min?: number;
  max?: number;
  fallback?: number;
  /** The URL path involved (a `url` with a path; the Socket.IO path a proxy refuses). */
  path?: string;
  /** The origin of a `url` given with a path. */
  origin?: string;
  /** The transport Lifeline fell back to. */
  to?: 'websocket' | 'polling' | 'http';
  /** The field of an `http.poll` adapter's answer that was wrong. */
  field?: string;
  /** What the server attached to its refusal of the connection (Socket.IO's `err.data`). */
  data?: unknown;
}

/**
 * The facts `K` of one code; every other fact is absent (`undefined`): reading one of them
 * compiles on an error of any code, writing one fails, and so does a key that is no fact at all.
 */
type Facts<K extends keyof LifelineErrorFacts> = Pick<LifelineErrorFacts, K> & { readonly [X in Exclude<keyof LifelineErrorFacts, K>]?: undefined };
/** Where a connection failed. */
type Where = 'url' | 'namespace' | 'transport' | 'status' | 'serverMessage';

/**
 * The `details` of each code: `LifelineErrorDetails<'VALIDATION'>` has `event`, `channel` and
 * `issues`, and nothing else.
 */
export interface LifelineErrorDetailsMap {
  UNAUTHORIZED: Facts<Where | 'data'>;
  FORBIDDEN: Facts<Where | 'channel' | 'data'>;
  INVALID_NAMESPACE: Facts<Where>;
  UPGRADE_BLOCKED: Facts<Where | 'path' | 'to'>;
  TIMEOUT: Facts<Where | 'timeoutMs' | 'event' | 'channel'>;
  UNREACHABLE: Facts<Where | 'event' | 'bodySnippet'>;
  PROTOCOL: Facts<Where | 'event' | 'channel' | 'bodySnippet' | 'field' | 'data'>;
  VALIDATION: Facts<'event' | 'channel' | 'issues'>;
  ACK_TIMEOUT: Facts<'event' | 'timeoutMs'>;
  OUTBOX_FULL: Facts<'event'>;
  CURSOR_EXPIRED: Facts<'channel' | 'serverMessage'>;
  CLOSED: Facts<'event' | 'transport'>;
  BAD_INPUT: Facts<Where | 'event' | 'channel' | 'option' | 'value' | 'min' | 'max' | 'fallback' | 'path' | 'origin'>;
}

/**
 * The facts behind an error of code `C`. Of an error whose code is not known (`C` not given):
 * any fact. Check `code` first to see which facts it can have (`AnyLifelineError`).
 */
export type LifelineErrorDetails<C extends LifelineErrorCode = LifelineErrorCode> = [LifelineErrorCode] extends [C] ? LifelineErrorFacts : LifelineErrorDetailsMap[C];

const BRAND = Symbol.for('lifeline.error');

type Hints = typeof import('./hints');
let texts: Hints | undefined;
let loading: Promise<boolean> | undefined;
const specific = new WeakMap<LifelineError, SpecificHint | Said | LifelineError>();
/** Errors made by `reported` before the texts loaded: their message is filled in when they load. */
const unsaid = new Map<LifelineError, Said>();

/**
 * Loads the hint texts (a lazily loaded chunk of their own: an app does not download them until
 * something fails). Lifeline starts this itself when it makes its first `LifelineError`, and waits
 * for it before it emits `error` or rejects a promise, so those always carry the full hint.
 * Resolves `true` once loaded, `false` when the chunk could not be loaded (offline, a deploy
 * removed it); a later call tries again. Errors made before it loaded get their full `hint` as
 * soon as it has.
 *
 * @example
 * ```ts
 * // A logger that reads `hint` synchronously from errors it catches itself:
 * await loadHints();
 * ```
 */
export function loadHints(): Promise<boolean> {
  loading ??= import('./hints').then(
    (m) => {
      texts = m;
      for (const [e, said] of unsaid) e.message = m.SAID[said](e.details);
      unsaid.clear();
      return true;
    },
    () => {
      loading = undefined;
      unsaid.clear();
      return false;
    },
  );
  return loading;
}

/** Whether the hint texts are loaded (a synchronous check before waiting for `loadHints()`). @internal */
export const hintsLoaded = (): boolean => texts !== undefined;

/**
 * The one error class Lifeline throws, rejects with and emits as `error`.
 *
 * @example
 * ```ts
 * client.on('error', (err) => {
 *   console.warn(`[${err.code}] ${err.message}\n→ ${err.hint}`);
 * });
 * ```
 */
export class LifelineError<C extends LifelineErrorCode = LifelineErrorCode> extends Error {
  /** What went wrong, as a stable code to branch on. */
  readonly code: C;
  /** The concrete facts behind the message (their keys depend on `code`). */
  readonly details: LifelineErrorDetailsMap[C];
  readonly [BRAND] = true;
  readonly #hint: string | undefined;

  /**
   * `hint` defaults to the hint built for `code` from `details` (see `docs/errors.md`), from the
   * lazily loaded hint texts (`loadHints()`).
   */
  constructor(code: C, message: string, details: LifelineErrorDetails<C> = {} as LifelineErrorDetails<C>, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LifelineError';
    this.code = code;
    this.details = details as LifelineErrorDetailsMap[C];
    this.#hint = options?.hint;
    if (!texts) void loadHints();
  }

  /**
   * What a person can do about it. The full text once the hint texts are loaded (always so for
   * `error` events and rejections, which wait for them); before that, or when they cannot be
   * loaded, where to read about `code` in docs/errors.md.
   */
  get hint(): string {
    if (this.#hint !== undefined) return this.#hint;
    const own = specific.get(this);
    if (own instanceof LifelineError) return own.hint;
    if (texts) return texts.hintFor(this.code, this.details, own);
    return `See "${this.code}" in docs/errors.md of @lifeline/core (hints not loaded yet: \`await loadHints()\`).`;
  }
}

/**
 * A `LifelineError` of any code, as a union of one type per code: checking `code` narrows
 * `details` to that code's facts. What `error` listeners, `lastError` and `isLifelineError` give.
 *
 * @example
 * ```ts
 * client.on('error', (err) => {
 *   if (err.code === 'VALIDATION') console.warn(err.details.event, err.details.issues);
 * });
 * ```
 */
export type AnyLifelineError = { [C in LifelineErrorCode]: LifelineError<C> }[LifelineErrorCode];

/**
 * A `LifelineError` with one of the particular hints of `hints.ts` (`SPECIFIC`), built from
 * `details` when the hint texts are loaded; or with the hint of another error.
 * @internal
 */
export function withHint<C extends LifelineErrorCode>(code: C, message: string, details: LifelineErrorDetails<C>, hint: SpecificHint | Said | LifelineError, cause?: unknown): LifelineError<C> {
  const error = new LifelineError(code, message, details, cause === undefined ? undefined : { cause });
  specific.set(error, hint);
  return error;
}

/**
 * Settles after the hint texts are loaded (or failed to load): at once (synchronously) when they
 * already are, so the common path adds no delay. Errors delivered through it carry the full hint.
 * @internal
 */
export function afterHints(deliver: () => void): void {
  if (waiting) waiting.push(deliver);
  else if (texts) deliver();
  else {
    // In order: an error reported while earlier ones wait goes after them.
    const queue = (waiting = [deliver]);
    void loadHints().then(() => {
      waiting = undefined;
      for (const d of queue) {
        try {
          d();
        } catch (e) {
          queueMicrotask(() => {
            throw e;
          });
        }
      }
    });
  }
}

let waiting: Array<() => void> | undefined;

/**
 * True for any `LifelineError`, also one created by another copy of the package or realm.
 *
 * @example
 * ```ts
 * try { await client.emit('save', doc, { ack: true }); }
 * catch (e) { if (isLifelineError(e) && e.code === 'ACK_TIMEOUT') retryLater(); }
 * ```
 */
export function isLifelineError(value: unknown): value is AnyLifelineError {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { [BRAND]?: unknown })[BRAND] === true || (value as Error).name === 'LifelineError') &&
    typeof (value as LifelineError).code === 'string'
  );
}

/**
 * An error reported later (an `error` event or a rejection, which wait for the hint texts) whose
 * message is one of the texts too (hints.ts `SAID[said]`, built from `details`): the words load
 * with the hints, not with the page. Made before they loaded, its message is filled in when they
 * load; until then (or if they cannot load) it is `said` and the details as JSON. Its hint is
 * `SPECIFIC[said]` when there is one, else its code's.
 * @internal
 */
export function reported<C extends LifelineErrorCode>(code: C, said: Said, details: LifelineErrorDetails<C>): LifelineError<C> {
  const error = withHint(code, texts ? texts.SAID[said](details) : `${said}: ${show(details)}`, details, said);
  if (!texts) unsaid.set(error, said);
  return error;
}

/** A value as JSON where it can be (a BigInt or a cycle yields its type, never a throw). @internal */
export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

/** The message of a thrown value: an `Error`'s message, else the value as a string. @internal */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * A part of Lifeline loaded on first use (history, presence: a chunk of the app's bundle) could
 * not be loaded (offline, a deploy removed the chunk): `UNREACHABLE`, reported, never a hang.
 * @internal
 */
export const chunkFailed = (what: string, e: unknown): LifelineError => withHint('UNREACHABLE', `Could not load Lifeline's ${what} code: ${messageOf(e)}`, { serverMessage: messageOf(e) }, 'chunk');
