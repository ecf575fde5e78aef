import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { createClient, type ClientOptions, type EventSchemas, type LifelineClient } from '@lifeline/core';
import { LifelineContext } from './context';

/** Props of `<LifelineProvider>`: a `client` you own, or `options` for a client it owns. */
export type LifelineProviderProps<E extends EventSchemas = EventSchemas> = { readonly children?: ReactNode } & (
  | {
      /** A client you created (and close yourself). The provider calls `connect()` in an effect. */
      readonly client: LifelineClient<E>;
      readonly options?: never;
    }
  | {
      /**
       * Options of a client the provider creates on first render (read once, like useState's
       * initial value), connects in an effect and closes on unmount. `autoConnect` is ignored.
       */
      readonly options: ClientOptions<E>;
      readonly client?: never;
    }
);

/**
 * Hands a Lifeline client to every hook below it. Render does no I/O: the owned client is
 * created with `autoConnect: false` and `connect()` runs in an effect, so `renderToString`
 * opens no socket.
 *
 * @example
 * ```tsx
 * createRoot(root).render(
 *   <LifelineProvider options={{ url: 'https://api.example.com', namespace: '/notifications' }}>
 *     <App />
 *   </LifelineProvider>,
 * );
 * ```
 */
export function LifelineProvider<E extends EventSchemas = EventSchemas>(props: LifelineProviderProps<E>): ReactElement {
  // Lazy and side-effect free: a client created but never connected holds no socket, timer or
  // listener, so the extra instance StrictMode's double render may discard is harmless.
  const [owned] = useState(() => (props.client ? null : createClient({ ...props.options, autoConnect: false } as ClientOptions<E>)));
  const client = (props.client ?? owned) as LifelineClient<E>;
  const pendingClose = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    // StrictMode runs mount → unmount → mount: the close of an owned client is deferred by a
    // macrotask and cancelled by the re-mount, since close() is final.
    clearTimeout(pendingClose.current);
    client.connect();
    if (client !== owned) return undefined;
    return () => {
      pendingClose.current = setTimeout(() => owned.close(), 0);
    };
  }, [client, owned]);

  return <LifelineContext.Provider value={client as LifelineClient}>{props.children}</LifelineContext.Provider>;
}
