/** Holds the ClientState, replaces it immutably on every change and tells the subscribers. */
import type { ClientState } from './types.js';

export type Listener = (state: ClientState) => void;

export class StateStore {
  private state: ClientState;
  private readonly listeners = new Set<Listener>();

  constructor(initial: ClientState) {
    this.state = initial;
  }

  get(): ClientState {
    return this.state;
  }

  /** Applies `change`; when it returns a different object, that becomes the state and is announced. */
  update(change: (state: ClientState) => ClientState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // A failing listener must not break the client or the other listeners.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
