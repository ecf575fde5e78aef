/**
 * Compiles only when this project's tsc program sees Vue 3.3's declarations, so the binding type
 * tests beside it cannot silently run against a newer Vue.
 */
import { ref, watch } from 'vue';
import { describe, it } from 'vitest';

describe('Vue types in this program', () => {
  it('are 3.3: watch has no `once` option (added in 3.4)', () => {
    // @ts-expect-error `once` is not in Vue 3.3's WatchOptions
    watch(ref(0), () => {}, { once: true });
  });
});
