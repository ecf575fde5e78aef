// docs/snippets/react/useRealtime.tsx — state plus emit (with an ack) in one hook.
import { useState } from 'react';
import { useRealtime } from '@lifeline/react';

export function CommentBox({ ticketId }: { ticketId: string }) {
  const { status, emit } = useRealtime();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function send() {
    try {
      // Queued in the outbox while disconnected; rejects with ACK_TIMEOUT if no reply in 5 s.
      await emit('comment:add', { ticketId, text }, { ack: true, timeoutMs: 5000 });
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <form onSubmit={(e) => (e.preventDefault(), void send())}>
      <input value={text} onChange={(e) => setText(e.target.value)} />
      <button disabled={status === 'closed'}>Send</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
