// Trace stats on the code: a CodeLens and a hover on every prompt, agent and
// tool definition Go to Prompt Source would find (and on lines spans name in
// `code.filepath`/`code.lineno`), and Problems on those definitions — failed
// tool calls, arguments off the declared schema, guardrail blocks, prompt
// drift — each with Open span / Show drift. Nothing is scanned while no
// session is loaded.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration, formatTimestamp, oneLine } from '../model/format';
import type { Target } from '../common/target';
import type { BackendService } from '../services/backendService';
import { resolveWorkspacePath } from '../services/backendService';
import type { SessionCache } from '../services/loadedSession';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { driftOf, findingsOf, statsLine, statsRows, type Finding, type RefStats } from './aggregate';
import { plain } from '../navigation/ui';
import { findDefinitions } from './definitions';
import { schemaFromPythonDef } from './schema';
import { LiveStats } from './liveStats';
import { Commands } from '../common/commands';
import { registerCommand } from '../views/registerCommand';

export const RECORDED_SCHEME = 'span-inspector-recorded';
export const PROBLEMS_SETTING = 'spanInspector.problems.enabled';
export const LENS_SETTING = 'spanInspector.codeLens.enabled';
const MAX_DOC_CHARS = 2 * 1024 * 1024;

interface Deps {
  backends: BackendService;
  sessions: SessionCache;
  tree: SessionsTreeProvider;
  log: vscode.LogOutputChannel;
}

interface LineStats {
  /** How the navigation core matched it ("file name", "YAML name:", "prompt id"…). */
  label: string;
  line: number;
  column: number;
  length: number;
  stats: RefStats<Target>;
}

/** Markdown-escapes untrusted text (span and tool names come from traces). */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Trace data files of configured backends hold every name: they are never the definition. */
function dataPaths(backends: BackendService): string[] {
  const out: string[] = [];
  for (const e of backends.list()) {
    for (const key of ['path', 'database']) {
      const v = e.config?.[key];
      if (typeof v === 'string' && v && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) out.push(path.resolve(resolveWorkspacePath(v)));
    }
  }
  return out;
}

export function registerCodeStats(deps: Deps): vscode.Disposable[] {
  const live = new LiveStats(deps.backends, deps.sessions, deps.tree, deps.log);
  const cache = new Map<string, { version: number; generation: number; lines: LineStats[] }>();
  const recorded = new Map<string, string>();
  const diagnostics = vscode.languages.createDiagnosticCollection('spanInspector');
  /** Diagnostic key → what its code actions open. */
  const actions = new Map<string, Finding<Target>>();
  const lensChanged = new vscode.EventEmitter<void>();
  const enabled = (key: string) => vscode.workspace.getConfiguration().get<boolean>(key, true);

  const linesOf = (doc: vscode.TextDocument): LineStats[] => {
    const index = live.index;
    if (!index.byRef.size && !index.byCode.size) return [];
    if (doc.uri.scheme !== 'file') return [];
    const hit = cache.get(doc.uri.toString());
    if (hit && hit.version === doc.version && hit.generation === live.generation) return hit.lines;
    const lines: LineStats[] = [];
    const fsPath = doc.uri.fsPath;
    const skip = dataPaths(deps.backends).some((p) => fsPath === p || fsPath.startsWith(p + path.sep));
    if (!skip && doc.getText().length <= MAX_DOC_CHARS) {
      const stats = [...index.byRef.values()];
      for (const d of findDefinitions(doc.getText(), fsPath, stats.map((s) => s.ref))) {
        if (!lines.some((l) => l.line === d.line && l.stats === stats[d.ref])) lines.push({ label: d.label, line: d.line, column: d.column, length: d.length, stats: stats[d.ref] });
      }
    }
    for (const [line, stats] of index.codeStatsFor(fsPath) ?? []) {
      if (line - 1 < doc.lineCount) lines.push({ label: 'code location', line: line - 1, column: 0, length: 0, stats });
    }
    lines.sort((a, b) => a.line - b.line);
    cache.set(doc.uri.toString(), { version: doc.version, generation: live.generation, lines });
    return lines;
  };

  const updateDiagnostics = () => {
    if (!enabled(PROBLEMS_SETTING)) {
      diagnostics.clear();
      actions.clear();
      return;
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== 'file') continue;
      const list: vscode.Diagnostic[] = [];
      for (const l of linesOf(doc)) {
        const source = l.stats.ref.kind === 'tool' && /def$/.test(l.label) ? schemaFromPythonDef(doc.getText(), doc.offsetAt(new vscode.Position(l.line, l.column))) : undefined;
        const findings = findingsOf(l.stats, live.index.toolSchemas, source);
        // Drift only where the template text lives, not where an id or ARN is merely referenced.
        const drift = l.label === 'ARN' || / id$/.test(l.label) || l.label === 'code location' ? undefined : driftOf(l.stats, doc.getText());
        if (drift) findings.push(drift);
        for (const f of findings) {
          const range = new vscode.Range(l.line, l.column, l.line, l.length ? l.column + l.length : doc.lineAt(l.line).text.length);
          const d = new vscode.Diagnostic(range, f.message, f.warning ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
          d.source = 'Span Inspector';
          d.code = f.kind;
          list.push(d);
          actions.set(`${doc.uri.toString()}|${l.line}|${f.message}`, f);
        }
      }
      diagnostics.set(doc.uri, list);
    }
  };

  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensChanged.event,
    provideCodeLenses(doc) {
      if (!enabled(LENS_SETTING)) return [];
      return linesOf(doc).map(
        (l) => new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: `$(pulse) ${statsLine(l.stats)}`, tooltip: vscode.l10n.t('Spans of {0} "{1}" in the sessions loaded in this window', l.stats.ref.kind, plain(l.stats.ref.name ?? l.stats.ref.id ?? '')), command: Commands.showDefinitionSpans, arguments: [l.stats.key] }),
      );
    },
  };

  const hover: vscode.HoverProvider = {
    provideHover(doc, pos) {
      const here = linesOf(doc).filter((l) => l.line === pos.line);
      if (!here.length) return undefined;
      const m = new vscode.MarkdownString(undefined, true);
      m.isTrusted = { enabledCommands: [Commands.showDefinitionSpans] };
      for (const { stats } of here) {
        m.appendMarkdown(`**Span Inspector** · ${md(stats.ref.kind)} \`${(stats.ref.name ?? stats.ref.id ?? '').replace(/`/g, "'")}\`\n\n| | |\n|---|---|\n`);
        for (const [k, v] of statsRows(stats)) m.appendMarkdown(`| ${md(k)} | ${md(v)} |\n`);
        const failed = stats.hits.filter((h) => h.span.status === 'error' || h.span.status === 'timeout').slice(-3);
        if (failed.length) {
          m.appendMarkdown('\n**Recent errors**\n\n');
          for (const h of failed) m.appendMarkdown(`- ${md(oneLine(h.span.tool?.error ?? h.span.statusMessage ?? h.span.status, 120))}\n`);
        }
        m.appendMarkdown(`\n[${md(vscode.l10n.t('Show the {0} spans', stats.calls))}](command:spanInspector.showDefinitionSpans?${encodeURIComponent(JSON.stringify([stats.key]))})\n\n`);
      }
      return new vscode.Hover(m);
    },
  };

  const codeActions: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, context) {
      const out: vscode.CodeAction[] = [];
      for (const d of context.diagnostics) {
        if (d.source !== 'Span Inspector') continue;
        const f = actions.get(`${doc.uri.toString()}|${d.range.start.line}|${d.message}`);
        if (!f) continue;
        const open = new vscode.CodeAction(vscode.l10n.t('Open span "{0}"', oneLine(f.hit.span.name, 60)), vscode.CodeActionKind.QuickFix);
        open.command = { title: open.title, command: Commands.openSpan, arguments: [f.hit.handle] };
        open.diagnostics = [d];
        out.push(open);
        if (f.kind === 'drift' && f.recorded !== undefined) {
          const show = new vscode.CodeAction(vscode.l10n.t('Show drift'), vscode.CodeActionKind.QuickFix);
          show.command = { title: show.title, command: Commands.showDrift, arguments: [doc.uri, f.recorded, f.hit.span.name] };
          show.diagnostics = [d];
          show.isPreferred = true;
          out.push(show);
        }
      }
      return out;
    },
  };

  const showSpans = async (key: unknown) => {
    const stats = live.index.byRef.get(String(key)) ?? [...live.index.byCode.values()].flatMap((m) => [...m.values()]).find((s) => s.key === key);
    if (!stats) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Those spans are no longer loaded.'));
      return undefined;
    }
    const items = [...stats.hits].reverse().map((h) => ({
      label: `${h.span.status === 'ok' || h.span.status === 'unset' ? '$(pass)' : '$(error)'} ${plain(oneLine(h.span.name, 80))}`,
      description: plain(oneLine(h.handle.session.name || h.handle.session.id, 60)),
      detail: plain([formatTimestamp(h.span.startTime), formatDuration(h.span.durationMs ?? (h.span.endTime !== undefined ? h.span.endTime - h.span.startTime : undefined)), h.span.statusMessage ? oneLine(h.span.statusMessage, 80) : ''].filter(Boolean).join(' · ')),
      target: h.handle,
    }));
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('{0} "{1}": {2}', stats.ref.kind, plain(stats.ref.name ?? stats.ref.id ?? ''), statsLine(stats)), matchOnDescription: true, matchOnDetail: true });
    if (pick) await vscode.commands.executeCommand(Commands.openSpan, pick.target);
    return pick?.target;
  };

  let editTimer: NodeJS.Timeout | undefined;
  let n = 0;
  const showDrift = async (template: unknown, text: unknown, name: unknown) => {
    if (!(template instanceof vscode.Uri) || typeof text !== 'string') return;
    const uri = vscode.Uri.from({ scheme: RECORDED_SCHEME, path: `/${++n}/${String(name ?? 'recorded').replace(/[\\/:*?"<>|\s]+/g, '_')} (recorded).txt` });
    recorded.set(uri.toString(), text);
    await vscode.commands.executeCommand('vscode.diff', uri, template, vscode.l10n.t('Recorded system instructions ↔ {0}', path.basename(template.fsPath)), { preview: false });
  };

  const refresh = () => {
    lensChanged.fire();
    updateDiagnostics();
  };

  deps.log.info('Trace stats on the code: waiting for sessions to load');
  return [
    live,
    diagnostics,
    lensChanged,
    live.onDidChange(refresh),
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerHoverProvider({ scheme: 'file' }, hover),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, codeActions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.workspace.registerTextDocumentContentProvider(RECORDED_SCHEME, { provideTextDocumentContent: (uri) => recorded.get(uri.toString()) ?? '' }),
    vscode.workspace.onDidOpenTextDocument(() => updateDiagnostics()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== 'file' || !live.index.byRef.size) return;
      clearTimeout(editTimer);
      editTimer = setTimeout(updateDiagnostics, 500);
    }),
    { dispose: () => clearTimeout(editTimer) },
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      cache.delete(d.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(PROBLEMS_SETTING) || e.affectsConfiguration(LENS_SETTING)) refresh();
    }),
    registerCommand(deps.log, Commands.showDefinitionSpans, vscode.l10n.t('Show Spans of This Definition'), showSpans),
    registerCommand(deps.log, Commands.showDrift, vscode.l10n.t('Show Prompt Drift'), showDrift),
    registerCommand(deps.log, Commands.refreshCodeStats, vscode.l10n.t('Refresh Trace Stats on the Code'), () => {
      live.refresh();
      refresh();
      return live.index.byRef.size;
    }),
  ];
}
