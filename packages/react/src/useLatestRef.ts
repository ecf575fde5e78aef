import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

// useLayoutEffect warns during server rendering; there are no effects there anyway.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A ref that always holds the latest `value` once the component has committed, so a
 * subscription made in an effect can call the newest handler without re-subscribing.
 * @internal
 */
export function useLatestRef<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
