// Root hooks for the UI layer. End-to-end tests drive a real workbench on a shared
// 2-core machine, where a click can land on a row being re-rendered; mocharc gives each
// test one retry. A test that passed only on its retry is named in the output (and
// counted by run-all), so a flake stays visible instead of being hidden.
import type { Context } from 'mocha';

export const mochaHooks = {
  afterEach(this: Context) {
    const test = this.currentTest;
    // currentRetry() is public in mocha, protected only in its type definitions.
    const retry = test ? (test as unknown as { currentRetry(): number }).currentRetry() : 0;
    if (test && test.state === 'passed' && retry > 0) console.log(`      ↻ passed on retry ${retry}: ${test.fullTitle()}`);
  },
};
