// Live updates of the `agno` backend: when the database file changes, the
// per-session fingerprints (./queries) are read again and compared, so only
// the sessions whose data changed are reported (plus one list change).
import { Emitter } from '../../common/emitter';
import type { BackendChange, Disposable, Logger } from '../types';

export class FingerprintChanges {
  private readonly emitter = new Emitter<BackendChange>();
  private prints: Promise<Map<string, string> | undefined> | undefined;

  constructor(private readonly read: () => Promise<Map<string, string> | undefined>, private readonly log: Logger, private readonly tag: string) {}

  add(listener: (change: BackendChange) => void): Disposable {
    return this.emitter.event(listener);
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
    this.emitter.dispose();
  }

  private emit(change: BackendChange): void {
    for (const err of this.emitter.fire(change)) this.log.error(`[${this.tag}] change listener failed: ${(err as Error).message}`);
  }
}
