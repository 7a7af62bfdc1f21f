// The `spanInspector.pricing` setting as a Pricer: rebuilt when the setting
// changes, its problems logged once per change, loaded sessions re-priced.
import * as vscode from 'vscode';
import { Pricer } from '../model/pricing';

export const PRICING_SETTING = 'spanInspector.pricing';

/** Opens the Settings UI at `spanInspector.pricing` (the "no price" link target). */
export const OPEN_PRICING_COMMAND: vscode.Command = {
  title: 'Set prices',
  command: 'workbench.action.openSettings',
  arguments: [PRICING_SETTING],
};

/** A command: link for MarkdownStrings (tooltips) to the pricing setting. */
export function pricingSettingLink(): string {
  return `command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify([PRICING_SETTING]))}`;
}

export class PricingSetting implements vscode.Disposable {
  private pricer: Pricer;
  private readonly changed = new vscode.EventEmitter<Pricer>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.pricer = this.read();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(PRICING_SETTING)) return;
      this.pricer = this.read();
      this.changed.fire(this.pricer);
    });
  }

  get current(): Pricer {
    return this.pricer;
  }

  private read(): Pricer {
    const raw = vscode.workspace.getConfiguration().get<unknown>(PRICING_SETTING);
    if (raw !== undefined && !Array.isArray(raw)) this.log.warn(`${PRICING_SETTING} should be an array of {model, input, output, …} entries; ignored.`);
    const pricer = new Pricer(Array.isArray(raw) ? raw : []);
    for (const p of pricer.problems) this.log.warn(p);
    return pricer;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
