// A base class that owns what it registers and disposes it once, in
// registration order. Pure: `vscode.Disposable` matches `IDisposable`.

export interface IDisposable {
  dispose(): unknown;
}

export function toDisposable(dispose: () => unknown): IDisposable {
  return { dispose };
}

export class Disposable implements IDisposable {
  private readonly registered: IDisposable[] = [];
  private _disposed = false;

  protected get isDisposed(): boolean {
    return this._disposed;
  }

  /** Keeps `d` until this is disposed; registered after dispose, it is disposed at once. */
  protected _register<T extends IDisposable>(d: T): T {
    if (this._disposed) void d.dispose();
    else this.registered.push(d);
    return d;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    for (const d of this.registered.splice(0)) void d.dispose();
  }
}
