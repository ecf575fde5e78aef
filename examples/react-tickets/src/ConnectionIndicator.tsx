import { useConnectionState } from '@lifeline/react';

/** Green when live on the best transport, amber on a fallback, red while reconnecting. */
export function ConnectionIndicator() {
  const { status, transport, fallback, lastError, role } = useConnectionState();
  const tone = status === 'connected' ? (fallback ? 'warn' : 'ok') : 'bad';
  return (
    <p>
      <span className={`pill ${tone}`} data-testid="connection" data-status={status} data-transport={transport ?? ''} data-role={role}>
        {status}
        {transport ? ` · ${transport}` : ''}
        {fallback ? ' (fallback)' : ''}
        {role === 'follower' ? ' · shared by another tab' : ''}
      </span>
      {lastError && status !== 'connected' && <small title={lastError.hint}> {lastError.message}</small>}
    </p>
  );
}
