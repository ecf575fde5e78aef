import { useConnectionState } from '@lifeline/react';

/** Green when live on the best transport, amber on a fallback, red while reconnecting. */
export function ConnectionIndicator() {
  const { status, transport, fallback, lastError } = useConnectionState();
  const tone = status === 'connected' ? (fallback ? 'warn' : 'ok') : 'bad';
  return (
    <p>
      <span className={`pill ${tone}`} data-testid="connection" data-status={status} data-transport={transport ?? ''}>
        {status}
        {transport ? ` · ${transport}` : ''}
        {fallback ? ' (fallback)' : ''}
      </span>
      {lastError && status !== 'connected' && <small title={lastError.hint}> {lastError.message}</small>}
    </p>
  );
}
