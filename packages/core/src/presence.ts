/**
 * Applies presence messages to a channel, loaded on the first one (a dynamic import, its own
 * chunk): an app whose server sends no presence never downloads it.
 * @internal
 */
import type { ChannelRegistry } from './channels';
import type { Emitter } from './emitter';
import type { IncomingEvent, Transport } from './transports/types';
import type { PresenceMember } from './types';

/**
 * `{ channel, members }` replaces the list, `{ channel, set, del }` changes it (docs/protocol.md,
 * "Presence"). Emits `\0join` / `\0leave` per member and `\0members` with the new frozen list on
 * the channel's emitter, only when something changed: the same array stays until then.
 *
 * Versions: a change whose `prev` is not the version held follows a change this client never got
 * (a frame lost with a transport it left, a snapshot that came before a switch): it asks
 * `transport` for a snapshot (the same event back, `lifeline:presence { channel }`, once until
 * one comes) and applies the change meanwhile, as a server without versions is applied.
 */
export function applyPresence(channels: ChannelRegistry, { event, data }: IncomingEvent, transport?: Transport | null): void {
  const m = (data ?? {}) as { channel?: unknown; members?: unknown; set?: unknown; del?: unknown; v?: unknown; prev?: unknown };
  const entry = typeof m.channel === 'string' ? channels.get(m.channel) : undefined;
  if (!entry) return;
  const snapshot = Array.isArray(m.members);
  if (snapshot) entry.presenceAsked = false;
  else if (typeof m.v === 'string' && m.prev !== entry.presenceV && !entry.presenceAsked && transport && !transport.receiveOnly) {
    entry.presenceAsked = true;
    transport.send(event, { channel: entry.name });
  }
  entry.presenceV = typeof m.v === 'string' ? m.v : undefined;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const prev = entry.members ?? [];
  const next = new Map(snapshot ? [] : prev.map((x) => [x.id, x]));
  for (const x of [...list(m.members), ...list(m.set)] as Array<Partial<PresenceMember> | null>) {
    if (typeof x?.id === 'string') next.set(x.id, Object.freeze({ id: x.id, data: x.data ?? null, connections: Number(x.connections) || 0 }));
  }
  for (const id of list(m.del)) if (typeof id === 'string') next.delete(id);
  const before = new Map(prev.map((x) => [x.id, JSON.stringify(x)]));
  const members = [...next.values()];
  if (members.length === prev.length && members.every((x) => before.get(x.id) === JSON.stringify(x))) return;
  entry.members = Object.freeze(members);
  const h = entry.handlers as unknown as Emitter<Record<string, (x: unknown) => void>>;
  for (const x of members) if (!before.has(x.id)) h.emit('\0join', x);
  for (const x of prev) if (!next.has(x.id)) h.emit('\0leave', x);
  h.emit('\0members', entry.members);
}
