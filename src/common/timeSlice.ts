// Long work on the extension host's one thread (loading 100,000 spans whose
// pages are ready at once, scanning a workspace) must let the event loop run
// now and then: an async loop over promises that are already resolved never
// gets back to it, so webview messages, timers and every other extension
// wait until the loop ends.

/** Resolves on the event loop's next turn (after pending I/O and messages). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Hands the thread back to the event loop once a slice of work has run for `ms`. */
export class TimeSlice {
  private started = performance.now();

  constructor(private readonly ms: number) {}

  /** Call between steps: waits a turn when the current slice is used up. */
  async pause(): Promise<void> {
    if (performance.now() - this.started < this.ms) return;
    await nextTurn();
    this.started = performance.now();
  }
}
