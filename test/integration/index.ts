// Entry of the integration suite, in the shape @vscode/test-electron expects
// (`run()`); it runs inside the VS Code extension host. Mocha's output there
// goes nowhere visible, so results are collected and handed back as text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<{ passed: number; failed: number; report: string }> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  const grep = process.env.SPAN_INSPECTOR_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => {
      passed++;
      lines.push(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: Error) => {
      failed++;
      lines.push(`  ✘ ${t.fullTitle()}\n      ${String(err?.stack ?? err).split('\n').slice(0, 8).join('\n      ')}`);
    });
  });
  return { passed, failed, report: `${lines.join('\n')}\n` };
}
