/**
 * Compiles only when this project's tsc program sees `@types/react` 18, so the binding type
 * tests beside it cannot silently run against 19.
 */
import { useRef } from 'react';
import { describe, expectTypeOf, it } from 'vitest';

describe('@types/react in this program', () => {
  it('is 18: the global JSX namespace exists (19 removed it)', () => {
    expectTypeOf(<div />).toEqualTypeOf<JSX.Element>();
  });

  it('is 18: useRef takes no argument (19 requires one)', () => {
    expectTypeOf(useRef<number>().current).toEqualTypeOf<number | undefined>();
  });
});
