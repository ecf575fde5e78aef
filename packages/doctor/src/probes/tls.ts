/**
 * Layer 4 (https/wss only): the TLS handshake and the server's certificate, checked the way Node
 * and browsers check it (chain to a trusted CA, validity dates, host name). The handshake runs
 * with `rejectUnauthorized: false` so that a bad certificate is still read and named; whether the
 * later layers go on regardless is the `insecure` option's call, not this probe's.
 */
import { isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';
import { settleOnce } from '../settle';
import type { LayerResult, Target } from '../types';
import { hostPort } from './url';

/** The parts of the certificate a finding quotes. */
export interface CertificateInfo {
  /** Subject common name, when it has one. */
  readonly subject?: string;
  /** Issuer common name (or organization). */
  readonly issuer?: string;
  /** DNS names and IP addresses the certificate is for (subjectAltName). */
  readonly names: readonly string[];
  readonly validFrom?: string;
  readonly validTo?: string;
}

/** What the handshake gave. */
export type TlsOutcome =
  | { readonly kind: 'secure'; readonly protocol: string; readonly authorizationError?: string; readonly cert: CertificateInfo }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' };

export interface TlsContext {
  /** host:port as printed. */
  readonly where: string;
  readonly host: string;
  readonly timeoutMs: number;
  readonly insecure: boolean;
}

export interface TlsCheck {
  readonly result: LayerResult;
  /** True when the handshake completed (the certificate may still fail verification). */
  readonly handshake: boolean;
}

/**
 * Runs one TLS handshake against the target and closes the connection.
 *
 * @example
 * ```ts
 * const { result } = await probeTls(target, { timeoutMs: 5000, insecure: false }); // broken, "… is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)"
 * ```
 */
export async function probeTls(target: Target, options: { timeoutMs: number; insecure: boolean }): Promise<TlsCheck> {
  const started = Date.now();
  const where = hostPort(target);
  const outcome = await handshake(target.host, target.port, options.timeoutMs);
  const result = classifyTls(outcome, { where, host: target.host, timeoutMs: options.timeoutMs, insecure: options.insecure });
  return { result: { ...result, ms: Date.now() - started }, handshake: outcome.kind === 'secure' };
}

/**
 * Reads one handshake result. Pure.
 *
 * @example
 * ```ts
 * classifyTls({ kind: 'secure', protocol: 'TLSv1.3', authorizationError: 'CERT_HAS_EXPIRED', cert }, ctx).finding; // "… expired …"
 * ```
 */
export function classifyTls(outcome: TlsOutcome, ctx: TlsContext): LayerResult {
  const broken = (finding: string, hint: string, code: LayerResult['code'] = 'UNREACHABLE'): LayerResult => ({ layer: 'tls', status: 'broken', code, finding, hint });
  if (outcome.kind === 'timeout') {
    return broken(
      `no TLS handshake from ${ctx.where} within ${ctx.timeoutMs} ms`,
      'The port accepts TCP but does not answer TLS: it may speak another protocol, or a proxy holds the connection. Check that this port serves https (a proxy usually terminates TLS on 443).',
      'TIMEOUT',
    );
  }
  if (outcome.kind === 'error') {
    if (/wrong version number|packet length too long|http request/i.test(`${outcome.code} ${outcome.message}`)) {
      return broken(
        `${ctx.where} does not speak TLS (${outcome.code}): it answers plain HTTP`,
        'Use http:// (ws://) for this port, or point the client at the port where TLS is terminated (usually the proxy on 443).',
      );
    }
    return broken(
      `TLS handshake with ${ctx.where} failed (${outcome.code}: ${outcome.message})`,
      'The server or a proxy refuses the handshake: check its TLS settings (protocol versions, ciphers, a certificate configured for this host name via SNI).',
    );
  }
  const { cert, authorizationError: error } = outcome;
  const name = cert.subject ? `"${cert.subject}"` : 'the server';
  if (!error) {
    return { layer: 'tls', status: 'ok', finding: `${outcome.protocol}, certificate for ${name} issued by ${cert.issuer ? `"${cert.issuer}"` : 'an unnamed issuer'}, valid until ${cert.validTo ?? '?'}: verified` };
  }
  const unverified = ctx.insecure ? '; not verified (--insecure): the layers below were checked anyway' : '';
  const anyway = ctx.insecure ? '' : ' To check the layers behind TLS meanwhile, run the doctor again with --insecure.';
  const refused = 'Browsers and Node refuse it, so the Lifeline client cannot connect.';
  const finding = (what: string) => `certificate of ${ctx.where} ${what} (${error})${unverified}`;
  switch (error) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return broken(
        finding(error === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? `for ${name} is self-signed` : `for ${name} chains to a self-signed root nobody here trusts`),
        `${refused} In production serve a certificate from a public CA (e.g. Let's Encrypt). In development trust your own: mkcert, or NODE_EXTRA_CA_CERTS=ca.pem for Node and the OS trust store for browsers.${anyway}`,
      );
    case 'CERT_HAS_EXPIRED':
      return broken(
        finding(`for ${name} expired on ${cert.validTo ?? '?'}`),
        `${refused} Renew it (certbot renew, or your provider's console) and reload the server or proxy so it serves the new one.${anyway}`,
      );
    case 'CERT_NOT_YET_VALID':
      return broken(
        finding(`for ${name} is not valid before ${cert.validFrom ?? '?'}`),
        `${refused} Check the clock of this machine and of the server, or wait until the certificate is valid.${anyway}`,
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return broken(
        finding(`is for ${cert.names.length ? cert.names.join(', ') : name}, not for "${ctx.host}" (host name mismatch)`),
        `${refused} Connect with a host name the certificate covers, or issue one whose subjectAltName includes "${ctx.host}". Behind a proxy or CDN, check which certificate it serves for this name (SNI).${anyway}`,
      );
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return broken(
        finding(`for ${name} does not chain to a trusted CA (issuer ${cert.issuer ? `"${cert.issuer}"` : 'unknown'})`),
        `${refused} The server sends its certificate without the intermediate: serve the full chain (nginx: \`ssl_certificate fullchain.pem;\`). For a private CA, trust it where the client runs (NODE_EXTRA_CA_CERTS=ca.pem for Node).${anyway}`,
      );
    default:
      return broken(finding(`for ${name} is not trusted`), `${refused} Check the certificate the server serves for this host name.${anyway}`);
  }
}

/** One handshake that never rejects on the certificate, closed as soon as it is read. */
function handshake(host: string, port: number, timeoutMs: number): Promise<TlsOutcome> {
  return settleOnce<TlsOutcome>(timeoutMs, { kind: 'timeout' }, (done) => {
    // An IP address is not a valid SNI name (RFC 6066): send none, and the host is checked against IP SANs.
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    socket.once('secureConnect', () => {
      const error = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNKNOWN');
      done({ kind: 'secure', protocol: socket.getProtocol() ?? 'TLS', cert: certificateInfo(socket.getPeerCertificate()), ...(error ? { authorizationError: error } : {}) });
    });
    socket.once('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? 'ERROR', message: e.message }));
    return () => socket.destroy();
  });
}

function certificateInfo(cert: PeerCertificate): CertificateInfo {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .map((n) => n.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const subject = first(cert.subject?.CN);
  const issuer = first(cert.issuer?.CN) ?? first(cert.issuer?.O);
  return {
    names,
    ...(subject ? { subject } : {}),
    ...(issuer ? { issuer } : {}),
    ...(cert.valid_from ? { validFrom: cert.valid_from } : {}),
    ...(cert.valid_to ? { validTo: cert.valid_to } : {}),
  };
}
