/**
 * Layer 3: can anything be reached at host:port? A TCP connect, closed as soon as it opens.
 */
import net from 'node:net';
import { settleOnce } from '../settle';
import type { LayerResult, Target } from '../types';
import { hostPort } from './url';

/**
 * Opens and closes one TCP connection to the target's host and port.
 *
 * @example
 * ```ts
 * const r = await probeTcp(target, 5000); // { layer: 'tcp', status: 'ok', finding: '127.0.0.1:3000 accepts connections' }
 * ```
 */
export async function probeTcp(target: Target, timeoutMs: number): Promise<LayerResult> {
  const where = hostPort(target);
  const started = Date.now();
  const timedOut: Outcome = {
    status: 'broken',
    code: 'TIMEOUT',
    finding: `no answer from ${where} within ${timeoutMs} ms`,
    hint: `Packets are dropped on the way: a firewall or security group closes port ${target.port}, the host is down, or the port is wrong (behind a proxy or PaaS, use its public port: 443 for https).`,
  };
  const outcome = await settleOnce(timeoutMs, timedOut, (done) => {
    const socket = net.connect({ host: target.host, port: target.port });
    socket.once('connect', () => done({ status: 'ok', finding: `${where} accepts connections${socket.remoteAddress && socket.remoteAddress !== target.host ? ` (${socket.remoteAddress})` : ''}` }));
    socket.once('error', (e: NodeJS.ErrnoException) => done(failure(e, where, target)));
    return () => socket.destroy();
  });
  return { layer: 'tcp', ...outcome, ms: Date.now() - started };
}

type Outcome = Omit<LayerResult, 'layer' | 'ms'>;

function failure(e: NodeJS.ErrnoException, where: string, target: Target): Outcome {
  switch (e.code) {
    case 'ECONNREFUSED':
      return {
        status: 'broken',
        code: 'UNREACHABLE',
        finding: `connection to ${where} refused: nothing is listening there`,
        hint: `Start the server, or fix the port: the server must listen on ${target.port} (and on 0.0.0.0, not 127.0.0.1, when the client is on another machine or container). Point the client at the proxy's public address rather than the app's port.`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 'broken', code: 'UNREACHABLE', finding: `host "${target.host}" does not resolve (${e.code})`, hint: 'Check the host name for typos and that its DNS record exists from where the client runs.' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 'broken', code: 'UNREACHABLE', finding: `no route to ${where} (${e.code})`, hint: 'The network cannot reach that host: check the address, VPN and firewall.' };
    default:
      return { status: 'broken', code: 'UNREACHABLE', finding: `cannot connect to ${where}: ${e.message}`, hint: 'Check the host, the port and that the server is running.' };
  }
}
