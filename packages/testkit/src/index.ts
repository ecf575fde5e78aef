/**
 * @lifeline/testkit (private): the fault proxy, a Socket.IO server harness, `waitFor` and leak
 * counters that every package's tests and the benchmarks share. See README.md to extend it.
 */
export { startProxy } from './proxy';
export type { FaultProxy, ProxyMode, ProxyStats } from './proxy';
export { startServer } from './server';
export { fakeLocks } from './fakeLocks';
export type { FakeLockManager } from './fakeLocks';
export type { RestartOptions, TestServer, TestServerOptions } from './server';
export { waitFor, delay } from './waitFor';
export { openHandles } from './leaks';
export type { OpenHandles } from './leaks';
export { freePort } from './ports';
export { REDIS_BIN, spawnRedis } from './redis';
export { serveJoins } from './joinProtocol';
export type { JoinCounts, JoinProtocolOptions } from './joinProtocol';
export { startJoinServer } from './joinServer';
export type { JoinServer } from './joinServer';
export { CHROMIUM_PATH, skipWithoutChromium, launchChromium, launchChromiumTabs, buildViteApp } from './browser';
export type { ChromiumTabs } from './browser';
export type { BuiltApp } from './browser';
