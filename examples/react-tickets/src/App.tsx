import { useState } from 'react';
import { useChannelEvent, useRealtime } from '@lifeline/react';
import { ConnectionIndicator } from './ConnectionIndicator';

interface Comment {
  ticketId: string;
  author: string;
  text: string;
}

export function App() {
  const { emit } = useRealtime();
  const [status, setStatus] = useState('open');
  const [comments, setComments] = useState<Comment[]>([]);
  const [text, setText] = useState('');
  const [sendError, setSendError] = useState<string | null>(null);

  useChannelEvent('ticket:42', 'ticket:updated', (ticket) => setStatus(ticket.status));
  useChannelEvent('ticket:42', 'comment:added', (comment) => setComments((list) => [...list, comment]));

  async function send(event: React.FormEvent) {
    event.preventDefault();
    setSendError(null);
    try {
      await emit('comment:add', { ticketId: '42', text }, { ack: true, timeoutMs: 5000 });
      setText('');
    } catch (e) {
      setSendError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <main>
      <h1>
        Ticket #42 <small data-testid="ticket-status">{status}</small>
      </h1>
      <ConnectionIndicator />
      <ul data-testid="comments">
        {comments.map((c, i) => (
          <li key={i}>
            <b>{c.author}</b>: {c.text}
          </li>
        ))}
      </ul>
      <form onSubmit={send}>
        <input data-testid="comment-input" value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a comment" />
        <button type="submit">Send</button>
      </form>
      {sendError && <p role="alert">{sendError}</p>}
    </main>
  );
}
