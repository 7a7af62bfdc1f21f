// One debounced file watch: writers touch files several times per save (or
// per transaction), so a burst of fs.watch events becomes one call once it
// has been quiet for `debounceMs`. Disposing closes the watch and drops a
// pending call.
import * as fs from 'node:fs';
import type { IDisposable } from './disposable';

export interface Debounced {
  (): void;
  /** Drops a pending call. */
  cancel(): void;
}

/** `fn` once calls to the result have stopped for `ms`. */
export function debounce(fn: () => void, ms: number): Debounced {
  let timer: NodeJS.Timeout | undefined;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  return Object.assign(call, { cancel: () => clearTimeout(timer) });
}

export interface DebouncedWatchOptions {
  debounceMs: number;
  /** Which changed names count; events without a name always count. Default: all. */
  accept?: (name: string) => boolean;
  /** The watch failed after it started (it is closed first). */
  onError?: (err: Error) => void;
}

/**
 * Watches `target` (a file or a folder) and calls `onChange` after each burst
 * of changes. Throws like fs.watch when it cannot start (e.g. a missing path).
 */
export function watchDebounced(target: string, onChange: () => void, options: DebouncedWatchOptions): IDisposable {
  let closed = false;
  const changed = debounce(() => closed || onChange(), options.debounceMs);
  const close = () => {
    closed = true;
    changed.cancel();
    watcher.close();
  };
  const watcher = fs.watch(target, (_event, filename) => {
    const name = filename?.toString();
    if (closed || (name && options.accept && !options.accept(name))) return;
    changed();
  });
  watcher.on('error', (err) => {
    close();
    options.onError?.(err);
  });
  return { dispose: close };
}
