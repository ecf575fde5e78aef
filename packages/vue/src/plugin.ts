import type { App } from 'vue';
import { createClient, type ClientOptions, type EventSchemas, type LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { LIFELINE_KEY } from './injection';

/** The plugin `createLifeline()` returns; `client` is the one it provides. */
export interface LifelinePlugin<E extends EventSchemas = EventSchemas> {
  readonly client: LifelineClient<E>;
  install(app: App): void;
}

/**
 * A Vue plugin that provides a Lifeline client to every composable of the app. Given options,
 * it creates the client (with `autoConnect: false`) and closes it when the app unmounts; given
 * a client, it leaves closing to you. Either way it connects on install in the browser only:
 * during server rendering nothing connects.
 *
 * @example
 * ```ts
 * createApp(App).use(createLifeline({ url: 'https://api.example.com', namespace: '/notifications' })).mount('#app');
 * ```
 */
export function createLifeline<E extends EventSchemas = EventSchemas>(clientOrOptions: LifelineClient<E> | ClientOptions<E>): LifelinePlugin<E> {
  const owned = !isLifelineClient(clientOrOptions);
  const client = owned ? createClient<E>({ ...(clientOrOptions as ClientOptions<E>), autoConnect: false }) : (clientOrOptions as LifelineClient<E>);
  return {
    client,
    install(app: App) {
      app.provide(LIFELINE_KEY, client as LifelineClient);
      if (isClient) client.connect();
      if (owned) onAppUnmount(app, () => client.close());
    },
  };
}

function isLifelineClient<E extends EventSchemas>(value: LifelineClient<E> | ClientOptions<E>): value is LifelineClient<E> {
  return typeof (value as Partial<LifelineClient<E>>).subscribeState === 'function';
}

// app.onUnmount exists since Vue 3.5; for 3.3/3.4 wrap app.unmount.
function onAppUnmount(app: App, fn: () => void): void {
  const withHook = app as App & { onUnmount?: (cb: () => void) => void };
  if (typeof withHook.onUnmount === 'function') return withHook.onUnmount(fn);
  const unmount = app.unmount.bind(app);
  app.unmount = () => {
    unmount();
    fn();
  };
}
