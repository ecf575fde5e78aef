/**
 * Process-level leak counters: open sockets/servers and timers as Node reports them
 * (`process.getActiveResourcesInfo()`), to compare before and after a test.
 */
export interface OpenHandles {
  sockets: number;
  timers: number;
  total: number;
}

export function openHandles(): OpenHandles {
  const info = process.getActiveResourcesInfo();
  const count = (kind: string) => info.filter((r) => r === kind).length;
  return { sockets: count('TCPSocketWrap') + count('TCPWrap'), timers: count('Timeout'), total: info.length };
}
