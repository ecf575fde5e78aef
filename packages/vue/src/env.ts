/** True in a browser (or jsdom); false during server rendering, where nothing subscribes. @internal */
export const isClient = typeof window !== 'undefined' && typeof document !== 'undefined';

/**
 * Development builds only. Written as the exact `process.env.NODE_ENV` expression bundlers
 * replace (as Vue's own esm-bundler build does); without a bundler in a browser, `process` is
 * undefined and we count as development.
 * @internal
 */
export const isDev: boolean = (() => {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
})();
