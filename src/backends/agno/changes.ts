// Live updates of the `agno` backend: when the database file changes, the
// per-session fingerprints (./queries) are read again and compared, so only
// the sessions whose data changed are reported (plus one list change).
import type { BackendChange, Disposable, Logger } from '../types';

export class FingerprintChanges {
  private readonly listeners = new Set<(c: BackendChange) => void>();
  private prints: Promise<Map<string, string> | undefined> | undefined;

  constructor(private readonly read: () => Promise<Map<string, string> | undefined>, private readonly log: Logger, private readonly tag: string) {}

  add(listener: (change: BackendChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Takes the first fingerprints, the base later changes are compared with. */
  start(): void {
    this.prints = this.read();
  }

  /** The data may have changed: compare fingerprints and report what did. */
  changed(): void {
    const before = this.prints ?? Promise.resolve(undefined);
    const after = before.then(() => this.read());
    this.prints = after;
    void Promise.all([before, after]).then(([old, now]) => {
      this.emit({});
      if (!old || !now) return;
      for (const id of new Set([...old.keys(), ...now.keys()])) {
        if (old.get(id) !== now.get(id)) this.emit({ sessionId: id });
      }
    });
  }

  dispose(): void {
    this.listeners.clear();
  }

  private emit(change: BackendChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.log.error(`[${this.tag}] change listener failed: ${(err as Error).message}`);
      }
    }
  }
}
