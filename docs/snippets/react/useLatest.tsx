// docs/snippets/react/useLatest.tsx — the latest payload as state.
import { useLatest } from '@lifeline/react';
import { client } from './client';

export function Price() {
  const tick = useLatest('price:tick', client); // { symbol: string; price: number } | undefined
  return <b>{tick ? `${tick.symbol} ${tick.price.toFixed(2)}` : '—'}</b>;
}
