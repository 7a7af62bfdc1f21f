import * as assert from 'node:assert/strict';
import { TimeSlice } from '../../../src/common/timeSlice';

/** Busy work for about `ms` on the thread. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // nothing: hold the thread like a large page being linked
  }
}

describe('TimeSlice', () => {
  it('lets the event loop run during a long loop over ready work', async () => {
    let ran = -1;
    setImmediate(() => (ran = step));
    const slice = new TimeSlice(5);
    let step = 0;
    for (; step < 20; step++) {
      spin(2);
      await Promise.resolve(); // already-resolved work alone never yields to the loop
      await slice.pause();
    }
    assert.ok(ran >= 0 && ran < 19, `the immediate ran at step ${ran} of 20`);
  });

  it('does not yield while the slice has time left', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const slice = new TimeSlice(60_000);
    for (let i = 0; i < 100; i++) await slice.pause();
    assert.equal(ran, false);
  });
});
