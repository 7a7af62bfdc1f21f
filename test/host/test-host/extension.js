// Test-only extension (never shipped). code-server has no
// --extensionTestsPath, so this runs the suite that runTests named, the way
// VS Code's own test runner would: require it and call run().
const fs = require('fs');

exports.activate = function activate() {
  const suite = process.env.SPAN_INSPECTOR_TEST_SUITE;
  const resultFile = process.env.SPAN_INSPECTOR_TEST_RESULT;
  if (!suite || !resultFile) {
    return;
  }
  const write = (result) => fs.writeFileSync(resultFile, JSON.stringify(result));
  setTimeout(() => {
    Promise.resolve()
      .then(() => require(suite).run())
      .then((stats) => write(stats), (err) => write({ passed: 0, failed: 1, error: String((err && err.stack) || err) }));
  }, 0);
};

exports.deactivate = function deactivate() {};
