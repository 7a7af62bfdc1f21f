// Time bounds for the reliability suite.
//
// A decoder or the tree builder that loops forever would block the thread it
// runs on, and mocha's timeout cannot interrupt synchronous code: the suite
// would hang instead of failing. So property checks run in a worker thread
// (support/worker.ts) that is terminated when it overruns its budget — the
// test then fails with "did not finish", naming the property.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  ok: boolean;
  ms: number;
  error?: string;
}

export class PropertyRunner {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  /** `modulePath`: a module exporting `properties: Record<string, () => void | Promise<void>>`. */
  constructor(private readonly modulePath: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = path.join(__dirname, 'worker.ts');
    // tsx is registered inside the worker (workers do not inherit the loader hooks).
    const w = new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true });
    w.on('message', (r: Reply) => {
      this.pending.get(r.id)?.resolve(r);
      this.pending.delete(r.id);
    });
    // Events of a worker terminated after a timeout must not touch its successor.
    w.on('error', (err) => {
      if (this.worker === w) this.failAll(err);
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(new Error('the property worker exited'));
    });
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Runs one named property; rejects with its counterexample, or when it overruns `budgetMs`. */
  async run(name: string, budgetMs: number): Promise<number> {
    const w = this.start();
    const id = ++this.seq;
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        this.pending.delete(id);
        // The worker is stuck in synchronous code: only terminating it stops it.
        void w.terminate();
        this.worker = undefined;
        reject(new Error(`property "${name}" did not finish within ${budgetMs} ms (infinite loop or super-linear blow-up)`));
      }, budgetMs);
      w.postMessage({ id, module: this.modulePath, name });
    }).finally(() => clearTimeout(timer));
    if (!reply.ok) throw new Error(reply.error);
    return reply.ms;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Rejects when `p` does not settle within `ms` (async paths: pagination loops, hung sockets). */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
