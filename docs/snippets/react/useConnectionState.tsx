// docs/snippets/react/useConnectionState.tsx — re-renders only when the connection changes.
import { useConnectionState } from '@lifeline/react';

export function Indicator() {
  const { status, transport, fallback, lastError } = useConnectionState();
  if (status === 'connected') return <span>Live · {transport}{fallback ? ' (fallback)' : ''}</span>;
  return <span title={lastError?.hint}>{status === 'reconnecting' ? 'Reconnecting…' : status}</span>;
}
