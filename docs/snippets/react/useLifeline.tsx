// docs/snippets/react/useLifeline.tsx — the client itself, for imperative calls.
import { useLifeline } from '@lifeline/react';

export function ReconnectButton() {
  const client = useLifeline(); // throws a LifelineError with a hint outside <LifelineProvider>
  return <button onClick={() => client.connect()}>Reconnect now</button>;
}
