import type { LifelineErrorCode } from '@lifeline/core';

/** The layers the doctor checks, in the order it checks them. */
export type LayerName = 'url' | 'dns' | 'tcp' | 'tls' | 'http' | 'websocket' | 'namespace' | 'companion';

/** `skipped` means the layer was not checked: a layer below it is broken, or it was not asked for. */
export type LayerStatus = 'ok' | 'broken' | 'skipped';

/** What the doctor found at one layer. */
export interface LayerResult {
  readonly layer: LayerName;
  readonly status: LayerStatus;
  /** One line: what was tried and what answered. */
  readonly finding: string;
  /** When broken: what a person can do about it. */
  readonly hint?: string;
  /** The `LifelineError` code the Lifeline client reports for the same failure. */
  readonly code?: LifelineErrorCode;
  /** How long the check took, ms. */
  readonly ms?: number;
}

/** Where the doctor looks, resolved from the options. */
export interface Target {
  /** The URL as given. */
  readonly url: string;
  /** `http:` or `https:` origin (ws/wss are mapped to http/https). */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  /** The Socket.IO path the later layers use (no trailing slash). */
  readonly path: string;
  /** The namespace the later layers ask for. */
  readonly namespace: string;
  /** The path part of the URL when it has one ("/api"): socket.io-client takes it as the namespace. */
  readonly urlPath?: string;
  /** The Lifeline HTTP endpoint base, resolved against the origin, when given. */
  readonly http?: string;
}

/** What the Lifeline client will do, given the layers. */
export interface Summary {
  /** Layers that work. */
  readonly works: readonly LayerName[];
  /** Layers that are broken. */
  readonly broken: readonly LayerName[];
  /** The transport Lifeline ends up on (`null` when it cannot connect). */
  readonly transport: 'websocket' | 'polling' | 'http' | null;
  /** One sentence: what Lifeline will do. */
  readonly lifeline: string;
}

/** The result of {@link diagnose}. */
export interface Diagnosis {
  /** True when no layer is broken. */
  readonly ok: boolean;
  /** Undefined only when the URL could not be parsed. */
  readonly target: Target | undefined;
  /** One entry per layer, in order. */
  readonly layers: readonly LayerResult[];
  readonly summary: Summary;
  /**
   * True when the doctor ran with `insecure`: the layers after TLS were checked without verifying
   * the server's certificate (the `tls` layer still says whether it would pass). Absent from
   * diagnoses made before the flag existed.
   */
  readonly insecure?: boolean;
}

/** Options of {@link diagnose}; the CLI flags map one to one. */
export interface DiagnoseOptions {
  /** The server URL as the app uses it, e.g. `https://api.example.com`. */
  readonly url: string;
  /**
   * Socket.IO namespace to connect to.
   * @default the URL's path when it has one (as socket.io-client would), else '/'
   */
  readonly namespace?: string;
  /**
   * Socket.IO `path` on the server.
   * @default '/socket.io'
   */
  readonly path?: string;
  /** Sent as `auth: { token }` to the namespace and as `Authorization: Bearer` to the HTTP endpoint. */
  readonly token?: string;
  /** Base URL of the Lifeline HTTP endpoint (`@lifeline/server`'s `http`), absolute or relative to the origin. */
  readonly http?: string;
  /**
   * Per-check timeout, ms.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Check the layers after TLS even when the server's certificate does not verify (self-signed,
   * expired, for another host name). The `tls` layer still reports the certificate as broken: the
   * Lifeline client, like a browser, refuses it.
   * @default false
   */
  readonly insecure?: boolean;
}
