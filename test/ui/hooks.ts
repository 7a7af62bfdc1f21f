// Mocha hooks for UI suites (kept apart from workbench.ts, which the bench imports without mocha).
import { collapseTree, launchWorkbench, openSpanInspector, type LaunchOptions, type Workbench } from './workbench';

/**
 * One workbench for a describe block, as mocha hooks: started (from `options`,
 * run in `before`) with the Sessions view open; before each test Escape and,
 * with `collapse`, a collapsed tree; a `FAILED-<name>-<test>` screenshot when a
 * test fails; stopped after. The returned object is the Workbench once started.
 */
export function useWorkbench(name: string, options: () => LaunchOptions | Promise<LaunchOptions>, o: { collapse?: boolean } = {}): Workbench {
  const wb = {} as Workbench;
  before(async () => {
    Object.assign(wb, await launchWorkbench(await options()));
    await openSpanInspector(wb.page);
  });
  if (o.collapse !== false) {
    beforeEach(async () => {
      await wb.page.keyboard.press('Escape');
      await collapseTree(wb.page);
    });
  }
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb.screenshot) {
      await wb.screenshot(`FAILED-${name}-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
    }
  });
  after(async () => {
    await wb.stop?.();
  });
  return wb;
}
