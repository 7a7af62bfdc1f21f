// A wake-up for readers that wait for a producer's next step (a chunk read, a
// page stored): `next()` resolves at the following `fire()`.
export class Signal {
  private waiters: (() => void)[] = [];

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  fire(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
