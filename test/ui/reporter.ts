// The UI layer's mocha reporter: spec, plus the retries. End-to-end tests drive a real
// workbench on a shared 2-core machine, where a click can land on a row being re-rendered,
// so mocharc gives each test one retry. Each failed attempt is printed with its error, and
// a test that passed only on its retry is named (run-all counts these lines), so a flake
// stays visible and diagnosable instead of being hidden.
import Mocha from 'mocha';

const { EVENT_TEST_RETRY, EVENT_TEST_PASS } = Mocha.Runner.constants;

type Attempt = Mocha.Test & { currentRetry(): number };

class UiReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on(EVENT_TEST_RETRY, (test: Attempt, err: Error) => {
      console.log(`      ✗ attempt ${test.currentRetry() + 1} failed, retrying: ${test.fullTitle()}\n${String(err?.stack ?? err).replace(/^/gm, '        ')}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Attempt) => {
      if (test.currentRetry() > 0) console.log(`      ↻ passed on retry ${test.currentRetry()}: ${test.fullTitle()}`);
    });
  }
}

export = UiReporter;
