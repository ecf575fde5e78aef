/**
 * The only `share` code an app loads up front: an engine that loads the real one (`./engine`, a
 * chunk of its own) and stands in for it until then. Where sharing is impossible (Node, SSR, older
 * Safari, React Native: no Web Locks or BroadcastChannel) the chunk answers with the ordinary
 * ladder (`role: 'solo'`); a chunk that fails to load falls back to the ladder too.
 * @internal
 */
import type { Engine } from '../client';
import { Ladder, type LadderDeps } from '../ladder';
import type { ShareSettings } from '../options';

/** @internal */
export const lazyShareEngine =
  (share: ShareSettings) =>
  (d: LadderDeps): Engine => {
    let impl: Engine | undefined;
    let want = false;
    const loaded = import('./engine')
      .then((m) => m.createShareEngine(d, share), () => new Ladder(d))
      .then((e) => {
        impl = e;
        if (want) e.start();
        return e;
      });
    return {
      get active() {
        return impl?.active ?? null;
      },
      get liveTransports() {
        return impl?.liveTransports ?? [];
      },
      get rtt() {
        return impl ? impl.rtt : null;
      },
      ping: (timeoutMs) => loaded.then((e) => e.ping(timeoutMs)),
      get running() {
        return want;
      },
      start() {
        want = true;
        impl?.start();
      },
      stop(reason, error) {
        want = false;
        (impl ?? new Ladder(d)).stop(reason, error);
      },
    };
  };
