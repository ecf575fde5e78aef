/**
 * Remembers the rung that worked, per origin, in sessionStorage with a TTL, so the next page load
 * starts there (it still probes upward). Every storage access is guarded: a missing or throwing
 * storage (Safari private mode, Node, quota) just means "nothing remembered".
 * @internal
 */
import { STORAGE_KEY_PREFIX } from './constants';
import { isTransportName } from './transports/index';
import type { TransportName } from './transports/types';

/** The slice of `Storage` we use. @internal */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** `sessionStorage` when present and accessible. @internal */
export function defaultStorage(): StorageLike | undefined {
  try {
    const s = (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
    return s && typeof s.getItem === 'function' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** @internal */
export class RungMemory {
  readonly #storage: StorageLike | undefined;
  readonly #key: string;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(storage: StorageLike | undefined, scope: string, ttlMs: number, now: () => number) {
    this.#storage = storage;
    this.#key = STORAGE_KEY_PREFIX + scope;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  recall(): TransportName | undefined {
    try {
      const raw = this.#storage?.getItem(this.#key);
      if (!raw) return undefined;
      const v = JSON.parse(raw) as { rung?: unknown; at?: unknown };
      if (typeof v.at !== 'number' || this.#now() - v.at > this.#ttlMs) return undefined;
      return isTransportName(v.rung) ? v.rung : undefined;
    } catch {
      return undefined;
    }
  }

  remember(rung: TransportName): void {
    try {
      this.#storage?.setItem(this.#key, JSON.stringify({ rung, at: this.#now() }));
    } catch {
      /* storage full or denied: remembering is an optimization */
    }
  }

  forget(): void {
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      /* see remember() */
    }
  }
}
