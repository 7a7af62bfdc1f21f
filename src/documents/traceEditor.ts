// A read-only custom editor for trace files (OpenAI Agents JSONL, OTLP JSON,
// Span Inspector exports): the file becomes a temporary backend (the same
// decoder a configured one would use), listed in the Sessions view while the
// document is open, and its session shows in the panel's own views.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toBackendError } from '../backends/errors';
import { createBackend } from '../backends/registry';
import type { Backend, BackendContext } from '../backends/types';
import { oneLine } from '../model/format';
import type { Session } from '../model/types';
import type { PanelManager } from '../panel/panelManager';
import type { BackendService } from '../services/backendService';
import type { SessionCache } from '../services/loadedSession';
import { detectTraceFile } from './detect';

export const TRACE_EDITOR_VIEW_TYPE = 'spanInspector.traceFile';
/** The same editor offered for any .json/.jsonl under Reopen Editor With… (priority "option"). */
export const TRACE_EDITOR_ANY_VIEW_TYPE = 'spanInspector.traceFileAny';
const HEAD_BYTES = 512 * 1024;

interface Deps {
  backends: BackendService;
  sessions: SessionCache;
  panels: PanelManager;
  log: vscode.LogOutputChannel;
}

class TraceDocument implements vscode.CustomDocument {
  backend: Backend | undefined;
  error: string | undefined;
  sessions: Session[] = [];
  private registration: vscode.Disposable | undefined;
  readonly backendId: string;

  constructor(readonly uri: vscode.Uri, private readonly deps: Deps) {
    this.backendId = `file:${uri.toString()}`;
  }

  async open(): Promise<void> {
    const { log } = this.deps;
    try {
      if (this.uri.scheme !== 'file') throw new Error(vscode.l10n.t('only files on disk can be opened as traces'));
      const type = detectTraceFile(await readHead(this.uri.fsPath));
      if (!type) {
        this.error = vscode.l10n.t('{0} is not an OpenAI Agents JSONL trace, an OTLP JSON file or a Span Inspector export.', path.basename(this.uri.fsPath));
        return;
      }
      const prefix = `[${path.basename(this.uri.fsPath)}] `;
      const context: BackendContext = {
        log: { trace: (m) => log.trace(prefix + m), debug: (m) => log.debug(prefix + m), info: (m) => log.info(prefix + m), warn: (m) => log.warn(prefix + m), error: (m) => log.error(prefix + m) },
        getSecret: async () => undefined,
        resolvePath: (p) => p,
      };
      this.backend = await createBackend({ id: this.backendId, type, label: path.basename(this.uri.fsPath), path: this.uri.fsPath }, context);
      this.registration = this.deps.backends.addExtra(this.backend);
      this.sessions = (await this.backend.listSessions({ limit: 200 })).sessions;
      if (!this.sessions.length) this.error = vscode.l10n.t('{0} holds no sessions (see the Span Inspector log for skipped lines).', path.basename(this.uri.fsPath));
      log.info(`Opened ${this.uri.fsPath} as ${type}: ${this.sessions.length} session(s)`);
    } catch (err) {
      const e = toBackendError(err);
      this.error = e.message;
      log.error(`Opening ${this.uri.fsPath} as a trace failed: ${e.message}`);
    }
  }

  dispose(): void {
    this.deps.sessions.clear(this.backendId);
    this.registration?.dispose();
    this.backend?.dispose?.();
  }
}

class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  constructor(private readonly deps: Deps) {}

  async openCustomDocument(uri: vscode.Uri): Promise<TraceDocument> {
    const doc = new TraceDocument(uri, this.deps);
    await doc.open();
    return doc;
  }

  resolveCustomEditor(doc: TraceDocument, panel: vscode.WebviewPanel): void {
    const session = doc.sessions[0];
    if (!doc.backend || !session) {
      panel.webview.options = { enableScripts: false };
      panel.webview.html = messageHtml(doc.error ?? vscode.l10n.t('Nothing to show.'), vscode.l10n.t('Use Reopen Editor With… → Text Editor to see the file as text.'));
      return;
    }
    if (doc.sessions.length > 1) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} holds {1} sessions; showing "{2}". The others are listed in the Sessions view.', path.basename(doc.uri.fsPath), doc.sessions.length, oneLine(session.name || session.id, 60)),
      );
    }
    // The panel's own views (waterfall, span, conversation), on the editor's webview; the
    // PanelManager tracks it, so palette commands and Copilot see the span it shows.
    this.deps.panels.adopt(panel, doc.backendId, session);
  }
}

/** The first HEAD_BYTES of a file: enough to tell the format without reading a large trace twice. */
async function readHead(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A static page without scripts for files that cannot be shown. */
function messageHtml(message: string, hint: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';"></head>
<body style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1em"><p><strong>${esc(message)}</strong></p><p>${esc(hint)}</p></body></html>`;
}

export function registerTraceEditor(deps: Deps): vscode.Disposable[] {
  const provider = new TraceEditorProvider(deps);
  const options = { supportsMultipleEditorsPerDocument: false, webviewOptions: { retainContextWhenHidden: false } };
  return [
    vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(TRACE_EDITOR_ANY_VIEW_TYPE, provider, options),
  ];
}
