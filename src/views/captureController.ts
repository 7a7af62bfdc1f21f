// Wires live capture into VS Code: Start/Stop/Clear commands, the
// `spanInspector.capture.*` settings, a status-bar item with the span count,
// and the "Live capture" root in the tree. The capture modules are imported
// only when capture is used, so activation stays light.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaptureReceiver } from '../capture/receiver';
import type { CaptureStore } from '../backends/store/captureStore';
import { toBackendError } from '../backends/errors';
import type { BackendService } from '../services/backendService';
import { spansLabel } from './labels';

class CaptureController implements vscode.Disposable {
  private store: Promise<CaptureStore> | undefined;
  private receiver: CaptureReceiver | undefined;
  private readonly status = vscode.window.createStatusBarItem('spanInspector.capture', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.status];
  private statusTimer: NodeJS.Timeout | undefined;
  /** The opened store, for the status count (spans held, not spans received since Start). */
  private opened: CaptureStore | undefined;

  constructor(
    private readonly storageDir: string,
    private readonly backends: BackendService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status.name = vscode.l10n.t('Span Inspector Capture');
    this.status.command = 'spanInspector.sessions.focus';
  }

  private get config() {
    return vscode.workspace.getConfiguration('spanInspector.capture');
  }

  /** Opens the persisted store (and shows "Live capture") on first use. */
  openStore(): Promise<CaptureStore> {
    this.store ??= (async () => {
      const [{ openCaptureStore }, { createCaptureBackend }] = await Promise.all([import('../capture/persist'), import('../backends/store/storeBackend')]);
      const store = await openCaptureStore({ storageDir: this.storageDir, maxSpans: this.config.get<number>('maxSpans'), log: this.log });
      this.opened = store;
      this.disposables.push(store.onDidChange(() => this.scheduleStatus()), this.backends.addExtra(createCaptureBackend(store)), { dispose: () => void store.dispose() });
      return store;
    })();
    return this.store;
  }

  async start(): Promise<void> {
    if (this.receiver?.listening) {
      return;
    }
    const port = this.config.get<number>('port') ?? 4318;
    try {
      const store = await this.openStore();
      const { CaptureReceiver } = await import('../capture/receiver');
      const grpcPort = this.config.get<number>('grpcPort') ?? 4317;
      const receiver = new CaptureReceiver({ store, port, grpcPort, log: this.log });
      const { url } = await receiver.start();
      this.receiver = receiver;
      receiver.onDidReceive(() => this.scheduleStatus());
      receiver.onDidFail((f) => this.log.warn(`capture: rejected ${f.path} (${f.status}): ${f.reason}`));
      this.log.info(`Capture receiver listening on ${url}${receiver.grpcAddress ? ` and ${receiver.grpcAddress} (OTLP/gRPC)` : ''}`);
      if (receiver.grpcError) void vscode.window.showWarningMessage(vscode.l10n.t('Span Inspector receives OTLP over HTTP only: {0}', receiver.grpcError.message));
      await vscode.commands.executeCommand('setContext', 'spanInspector.capturing', true);
      this.updateStatus();
    } catch (err) {
      const e = toBackendError(err, 'config');
      this.log.error(`capture: ${e.message}`);
      const settings = vscode.l10n.t('Open settings');
      const retry = vscode.l10n.t('Retry');
      const pick = await vscode.window.showErrorMessage(vscode.l10n.t('Span Inspector could not start capture on 127.0.0.1:{0}: {1}', port, e.message), settings, retry);
      if (pick === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'spanInspector.capture.port');
      if (pick === retry) return this.start();
    }
  }

  async stop(): Promise<void> {
    const r = this.receiver;
    this.receiver = undefined;
    await r?.stop();
    await vscode.commands.executeCommand('setContext', 'spanInspector.capturing', false);
    this.updateStatus();
  }

  async clear(): Promise<void> {
    const yes = vscode.l10n.t('Clear');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Delete all captured traces from memory and disk?'), { modal: true }, yes);
    if (pick !== yes) return;
    const store = await this.openStore();
    await store.clear();
    this.updateStatus();
  }

  /** At start-up: start if enabled; else show earlier captures if any are on disk. */
  async restore(): Promise<void> {
    if (this.config.get<boolean>('enabled')) {
      await this.start();
    } else if (fs.existsSync(this.storageDir) && fs.readdirSync(this.storageDir).length > 0) {
      await this.openStore();
    }
  }

  async onConfigChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (e.affectsConfiguration('spanInspector.capture.enabled')) {
      await (this.config.get<boolean>('enabled') ? this.start() : this.stop());
    } else if ((e.affectsConfiguration('spanInspector.capture.port') || e.affectsConfiguration('spanInspector.capture.grpcPort')) && this.receiver) {
      await this.stop();
      await this.start();
    }
  }

  private scheduleStatus(): void {
    this.statusTimer ??= setTimeout(() => {
      this.statusTimer = undefined;
      this.updateStatus();
    }, 250);
  }

  private updateStatus(): void {
    const r = this.receiver;
    if (!r?.listening) {
      this.status.hide();
      return;
    }
    const s = r.stats();
    // What the tree lists: spans held by the store (restored after a reload, kept across Stop/Start).
    const held = this.opened?.stats().spans ?? s.spans;
    this.status.text = `$(radio-tower) ${vscode.l10n.t('Capturing :{0} · {1}', r.port ?? '', spansLabel(held))}`;
    const md = new vscode.MarkdownString();
    md.appendText(`${vscode.l10n.t('Receiving traces on {0}', r.url ?? '')}\n\n`);
    md.appendText(`OpenAI Agents SDK: ${r.url}/v1/traces/ingest\n\nOTLP/HTTP: ${r.url}/v1/traces\n\n`);
    md.appendText(vscode.l10n.t('{0} spans held; since Start: {1} requests, {2} spans, {3} rejected', held, s.requests, s.spans, s.rejected));
    this.status.tooltip = md;
    this.status.show();
  }

  dispose(): void {
    clearTimeout(this.statusTimer);
    void this.receiver?.stop();
    this.disposables.forEach((d) => d.dispose());
  }
}

export function registerCapture(context: vscode.ExtensionContext, backends: BackendService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const controller = new CaptureController(path.join(context.globalStorageUri.fsPath, 'capture'), backends, log);
  void controller.restore();
  return [
    controller,
    vscode.commands.registerCommand('spanInspector.startCapture', () => controller.start()),
    vscode.commands.registerCommand('spanInspector.stopCapture', () => controller.stop()),
    vscode.commands.registerCommand('spanInspector.clearCapturedData', () => controller.clear()),
    vscode.workspace.onDidChangeConfiguration((e) => void controller.onConfigChanged(e)),
  ];
}
