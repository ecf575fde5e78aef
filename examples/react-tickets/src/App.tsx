import { useEffect, useState } from 'react';
import { useChannel, useChannelEvent, useEvent, usePresence, useRealtime } from '@lifeline/react';
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

  const me = new URLSearchParams(location.search).get('token') === 'agent-token' ? 'grace' : 'ada';
  // Who else is viewing this ticket (presence: no flicker on reconnects or rung switches).
  const viewers = usePresence(useChannel('ticket:42')).filter((m) => m.id !== me);
  // Someone else typing: shown for 3 s after their last keystroke.
  const [typing, setTyping] = useState<string | null>(null);
  useEvent('typing', (t) => {
    if (t.ticketId === '42' && t.author !== me) setTyping(t.author);
  });
  useEffect(() => {
    if (!typing) return;
    const timer = setTimeout(() => setTyping(null), 3000);
    return () => clearTimeout(timer);
  }, [typing]);

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
      <p data-testid="viewers">{viewers.length ? `Also viewing: ${viewers.map((m) => m.id).join(', ')}` : 'Nobody else is viewing'}</p>
      {typing && <p data-testid="typing">{typing} is typing…</p>}
      <ul data-testid="comments">
        {comments.map((c, i) => (
          <li key={i}>
            <b>{c.author}</b>: {c.text}
          </li>
        ))}
      </ul>
      <form onSubmit={send}>
        <input
          data-testid="comment-input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            emit('typing', { ticketId: '42' }, { volatile: true }); // now or never: never queued
          }}
          placeholder="Add a comment"
        />
        <button type="submit">Send</button>
      </form>
      {sendError && <p role="alert">{sendError}</p>}
    </main>
  );
}
