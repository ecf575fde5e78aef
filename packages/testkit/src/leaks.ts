/**
 * Process-level leak counters: open sockets/servers and timers as Node reports them
 * (`process.getActiveResourcesInfo()`), to compare before and after a test.
 */
export interface OpenHandles {
  /** Connected TCP sockets (and connects in progress). */
  sockets: number;
  /** Listening TCP servers (Node reports them as `TCPServerWrap`, not as sockets). */
  servers: number;
  timers: number;
  total: number;
}

export function openHandles(): OpenHandles {
  const info = process.getActiveResourcesInfo();
  const count = (kind: string) => info.filter((r) => r === kind).length;
  return { sockets: count('TCPSocketWrap') + count('TCPWrap') + count('ConnectWrap'), servers: count('TCPServerWrap'), timers: count('Timeout'), total: info.length };
}
