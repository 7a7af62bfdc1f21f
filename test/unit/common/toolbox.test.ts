// The pure toolbox: Disposable disposes what it registered once, Emitter tells
// every listener even when one throws.
import * as assert from 'node:assert/strict';
import { Disposable, toDisposable } from '../../../src/common/disposable';
import { Emitter } from '../../../src/common/emitter';

class Owner extends Disposable {
  add(fn: () => void) {
    return this._register(toDisposable(fn));
  }
}

describe('Disposable', () => {
  it('disposes registered things once, in order, and late ones at once', () => {
    const seen: string[] = [];
    const o = new Owner();
    o.add(() => seen.push('a'));
    o.add(() => seen.push('b'));
    o.dispose();
    o.dispose();
    assert.deepEqual(seen, ['a', 'b']);
    o.add(() => seen.push('late'));
    assert.deepEqual(seen, ['a', 'b', 'late']);
  });
});

describe('Emitter', () => {
  it('fires to each subscription until it is disposed', () => {
    const e = new Emitter<number>();
    const got: number[] = [];
    const sub = e.event((n) => got.push(n));
    e.fire(1);
    sub.dispose();
    e.fire(2);
    assert.deepEqual(got, [1]);
    assert.equal(e.hasListeners, false);
  });

  it('a throwing listener does not stop the others; fire returns what was thrown', () => {
    const e = new Emitter<string>();
    const got: string[] = [];
    e.event(() => {
      throw new Error('boom');
    });
    e.event((s) => got.push(s));
    const errors = e.fire('x');
    assert.deepEqual(got, ['x']);
    assert.equal((errors[0] as Error).message, 'boom');
  });

  it('dispose drops every listener', () => {
    const e = new Emitter<void>();
    let n = 0;
    e.event(() => n++);
    e.dispose();
    e.fire();
    assert.equal(n, 0);
  });
});
