import { getCurrentScope, onScopeDispose } from 'vue';
import { isDev } from './env';

/**
 * Runs `fn` when the current effect scope (component setup or `effectScope()`) is disposed.
 * Without a scope nothing would ever release the subscription, so warn in development.
 * @internal
 */
export function tryOnScopeDispose(fn: () => void, composable: string): boolean {
  if (getCurrentScope()) {
    onScopeDispose(fn);
    return true;
  }
  if (isDev) {
    console.warn(`[lifeline] ${composable}() was called outside a component setup or effectScope(): its subscription is never released. Call it in setup(), or inside effectScope().run(() => …) and stop() the scope.`);
  }
  return false;
}
