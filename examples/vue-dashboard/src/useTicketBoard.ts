import { onMounted, ref, shallowReactive } from 'vue';
import type { TransportName } from '@lifeline/core';
import { useChannelEvent, useEvent } from '@lifeline/vue';
import { Ticket } from './lifeline';

/** One line of the activity feed: an update and the transport that carried it. */
export interface Activity {
  readonly id: string;
  readonly ticket: Ticket;
  readonly transport: TransportName;
}

/** One transport change, with the client's readable reason. */
export interface Switch {
  readonly from: TransportName | null;
  readonly to: TransportName | null;
  readonly reason: string;
}

/**
 * The dashboard's live model: every ticket by id (first from GET /api/tickets, then from the
 * `tickets` channel), the activity feed, and the transport switches. Listeners and the channel
 * are released with the component that calls this.
 */
export function useTicketBoard() {
  const tickets = shallowReactive(new Map<string, Ticket>());
  const feed = ref<Activity[]>([]);
  const switches = ref<Switch[]>([]);
  const loadError = ref<string | null>(null);

  useChannelEvent('tickets', 'ticket:updated', (ticket, meta) => {
    tickets.set(ticket.id, ticket);
    feed.value.push({ id: meta.id ?? `${feed.value.length}`, ticket, transport: meta.transport });
  });
  useEvent('transport', ({ from, to, reason }) => switches.value.push({ from, to, reason }));

  onMounted(async () => {
    try {
      const res = await fetch('/api/tickets');
      if (!res.ok) throw new Error(`GET /api/tickets answered ${res.status}`);
      for (const ticket of Ticket.array().parse(await res.json())) {
        // A live update that arrived before the list is newer: keep it.
        if (!tickets.has(ticket.id)) tickets.set(ticket.id, ticket);
      }
    } catch (e) {
      loadError.value = e instanceof Error ? e.message : String(e);
    }
  });

  return { tickets, feed, switches, loadError };
}
