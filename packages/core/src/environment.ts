/**
 * Online/offline and page-visibility signals. In Node (no `window`) it is a no-op that always
 * says "online, visible". Injectable for tests through `@lifeline/core/testing`.
 * @internal
 */
import { Disposables } from './disposables';

/** Where the signals come from. @internal */
export interface EnvironmentSource {
  /** Receives `online` / `offline` (a browser's `window`). */
  readonly target?: EventTarget | undefined;
  /** Receives `visibilitychange` (a browser's `document`). */
  readonly visibilityTarget?: EventTarget | undefined;
  readonly isOnline: () => boolean;
  readonly isVisible: () => boolean;
}

/** The browser's window/document when present, else a static "online, visible" source. @internal */
export function browserEnvironment(): EnvironmentSource {
  const g = globalThis as { window?: EventTarget; document?: EventTarget & { visibilityState?: string }; navigator?: { onLine?: boolean } };
  const win = typeof g.window === 'object' && g.window !== null && typeof g.window.addEventListener === 'function' ? g.window : undefined;
  const doc = typeof g.document === 'object' && g.document !== null && typeof g.document.addEventListener === 'function' ? g.document : undefined;
  return {
    target: win,
    visibilityTarget: doc,
    isOnline: () => g.navigator?.onLine !== false,
    isVisible: () => g.document?.visibilityState !== 'hidden',
  };
}

/** @internal */
export class Environment {
  readonly #source: EnvironmentSource;
  #listeners = 0;

  constructor(source: EnvironmentSource = browserEnvironment()) {
    this.#source = source;
  }

  get listenerCount(): number {
    return this.#listeners;
  }

  isOnline(): boolean {
    return this.#source.isOnline();
  }

  /** Calls `onResume` on `online` and when the page becomes visible; returns `off`. */
  watch(onResume: () => void): () => void {
    const offs = new Disposables();
    const listen = (target: EventTarget | undefined, type: string, fn: () => void) => {
      if (!target) return;
      target.addEventListener(type, fn);
      this.#listeners++;
      offs.add(() => {
        target.removeEventListener(type, fn);
        this.#listeners--;
      });
    };
    listen(this.#source.target, 'online', () => onResume());
    listen(this.#source.visibilityTarget ?? this.#source.target, 'visibilitychange', () => {
      if (this.#source.isVisible()) onResume();
    });
    return () => offs.dispose();
  }
}
