// A tiny typed event emitter for the pure layers (VS Code layers use
// `vscode.EventEmitter`); `event` has the same shape as `vscode.Event`.
import type { IDisposable } from './disposable';

export type Listener<T> = (e: T) => void;
export type Event<T> = (listener: Listener<T>) => IDisposable;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    // A wrapper per subscription, so the same function subscribed twice is told twice.
    const entry: Listener<T> = (e) => listener(e);
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  };

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /** Tells every listener; one that throws does not stop the others. Returns what they threw. */
  fire(e: T): unknown[] {
    const errors: unknown[] = [];
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
