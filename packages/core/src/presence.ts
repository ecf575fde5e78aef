/**
 * Applies presence messages to a channel, loaded on the first one (a dynamic import, its own
 * chunk): an app whose server sends no presence never downloads it.
 * @internal
 */
import type { ChannelRegistry } from './channels';
import type { Emitter } from './emitter';
import type { PresenceMember } from './types';

/**
 * `{ channel, members }` replaces the list, `{ channel, set, del }` changes it (docs/protocol.md,
 * "Presence"). Emits `\0join` / `\0leave` per member and `\0members` with the new frozen list on
 * the channel's emitter, only when something changed: the same array stays until then.
 */
export function applyPresence(channels: ChannelRegistry, message: unknown): void {
  const m = (message ?? {}) as { channel?: unknown; members?: unknown; set?: unknown; del?: unknown };
  const entry = typeof m.channel === 'string' ? channels.get(m.channel) : undefined;
  if (!entry) return;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const prev = entry.members ?? [];
  const next = new Map(Array.isArray(m.members) ? [] : prev.map((x) => [x.id, x]));
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
