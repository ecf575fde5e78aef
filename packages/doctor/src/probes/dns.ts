/**
 * Layer 2: does the host name resolve from here? `dns.lookup` (getaddrinfo: /etc/hosts, then the
 * system resolver), the same lookup Node and browsers use to connect, bounded by the per-check
 * timeout. An IP address needs no lookup.
 */
import { lookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { settleOnce } from '../settle';
import type { LayerResult, Target } from '../types';

/** What the lookup gave. */
export type LookupOutcome =
  | { readonly kind: 'ip' }
  | { readonly kind: 'resolved'; readonly addresses: readonly string[] }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' };

/**
 * Resolves the target's host once.
 *
 * @example
 * ```ts
 * await probeDns(target, 5000); // { layer: 'dns', status: 'ok', finding: 'localhost resolves to 127.0.0.1' }
 * ```
 */
export async function probeDns(target: Target, timeoutMs: number): Promise<LayerResult> {
  const started = Date.now();
  const outcome = isIP(target.host) ? ({ kind: 'ip' } as const) : await resolve(target.host, timeoutMs);
  return { ...classifyLookup(outcome, target.host, timeoutMs), ms: Date.now() - started };
}

/**
 * Reads one lookup result. Pure.
 *
 * @example
 * ```ts
 * classifyLookup({ kind: 'error', code: 'ENOTFOUND', message: '' }, 'api.exmaple.com', 5000).status; // 'broken'
 * ```
 */
export function classifyLookup(outcome: LookupOutcome, host: string, timeoutMs: number): LayerResult {
  const broken = (finding: string, hint: string, code: LayerResult['code']): LayerResult => ({ layer: 'dns', status: 'broken', code, finding, hint });
  const hosts = `For a name only your machine or network knows, add it to /etc/hosts (on Windows C:\\Windows\\System32\\drivers\\etc\\hosts).`;
  switch (outcome.kind) {
    case 'ip':
      return { layer: 'dns', status: 'ok', finding: `${host} is an IP address: nothing to resolve` };
    case 'resolved':
      return { layer: 'dns', status: 'ok', finding: `${host} resolves to ${outcome.addresses.join(', ')}` };
    case 'timeout':
      return broken(
        `looking up "${host}" got no answer within ${timeoutMs} ms`,
        `The DNS resolver does not answer: check this machine's network and DNS server (/etc/resolv.conf), connect the VPN if "${host}" is a private name, and check the name for a typo. ${hosts}`,
        'TIMEOUT',
      );
    case 'error':
      if (outcome.code === 'ENOTFOUND') {
        return broken(
          `host "${host}" does not resolve (ENOTFOUND: no DNS record for it from this machine)`,
          `Check "${host}" for a typo. If it is a private name (an internal DNS zone, a Kubernetes service, a host behind a VPN), connect the VPN or run the doctor where the app runs. If the record is new, wait for it to propagate. ${hosts}`,
          'UNREACHABLE',
        );
      }
      if (outcome.code === 'EAI_AGAIN') {
        return broken(
          `looking up "${host}" failed for now (EAI_AGAIN: the DNS resolver could not answer)`,
          `The resolver is unreachable or failing: check this machine's network and DNS server (/etc/resolv.conf), connect the VPN if "${host}" is a private name, and check the name for a typo. ${hosts}`,
          'UNREACHABLE',
        );
      }
      return broken(
        `looking up "${host}" failed (${outcome.code}: ${outcome.message})`,
        `Check "${host}" for a typo and this machine's DNS settings (/etc/resolv.conf, the VPN for a private name). ${hosts}`,
        'UNREACHABLE',
      );
  }
}

/** getaddrinfo cannot be cancelled: on timeout the answer is ignored when it comes. */
function resolve(host: string, timeoutMs: number): Promise<LookupOutcome> {
  return settleOnce<LookupOutcome>(timeoutMs, { kind: 'timeout' }, (done) => {
    lookup(host, { all: true }, (e: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (e) done({ kind: 'error', code: e.code ?? 'ERROR', message: e.message });
      else done({ kind: 'resolved', addresses: [...new Set(addresses.map((a) => a.address))] });
    });
    return () => {}; // a lookup cannot be cancelled; a late answer is ignored
  });
}
