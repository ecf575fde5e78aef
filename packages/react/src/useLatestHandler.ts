import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

// useLayoutEffect warns during server rendering; there are no effects there anyway.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A function, stable for the component's lifetime, that calls the latest `handler` the component
 * committed: a subscription made in an effect can call the newest handler without re-subscribing.
 * @internal
 */
export function useLatestHandler<T>(handler: T): (...args: unknown[]) => void {
  const latest = useRef(handler);
  useIsomorphicLayoutEffect(() => {
    latest.current = handler;
  });
  return useCallback((...args: unknown[]) => void (latest.current as (...a: unknown[]) => unknown)(...args), []);
}
