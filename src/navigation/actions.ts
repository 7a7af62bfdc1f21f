// Copy span id / session id / ARN, and Export Session.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { exportCapturedSession } from '../capture/export';
import type { CaptureStore } from '../backends/store/captureStore';
import { formatCount } from '../model/format';
import { resolveWorkspacePath } from '../services/backendService';
import type { Session, Span } from '../model/types';
import { needSpanMessage, noTarget, resolveTarget, spanOf, type NavigationDeps } from './context';
import { Commands } from '../common/commands';
import { buildSessionExport, exportFileName, serializeSessionExport } from '../model/sessionExport';
import { accountFrom, buildPromptArn, buildSessionArn, parseArn } from './ids';
import { isUriLike } from './promptDocuments';
import { showBackendError } from '../views/nextSteps';
import type { Target } from '../common/target';

async function copy(text: string, what: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}: {1}', what, text), 4000);
  return text;
}

export async function copySpanId(deps: NavigationDeps, arg: unknown): Promise<string | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target?.spanKey) {
    void vscode.window.showInformationMessage(needSpanMessage());
    return undefined;
  }
  // The node key of a duplicate is `id~N`; the span's own id is what other tools know.
  const span = deps.sessions.get(target.backendId, target.session).forest.get(target.spanKey)?.span;
  return copy(span?.id ?? target.spanKey.replace(/~\d+$/, ''), vscode.l10n.t('span id'));
}

export async function copySessionId(deps: NavigationDeps, arg: unknown): Promise<string | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target) return noTarget(deps.log, Commands.copySessionId, arg);
  return copy(target.session.id, vscode.l10n.t('session id'));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** ARNs known or derivable for a target: the session's, the span's prompt and AI agent. */
export type ArnKind = 'session' | 'prompt' | 'agent';

export function arnsOf(deps: NavigationDeps, target: Target, span: Span | undefined): { kind: ArnKind; label: string; arn: string }[] {
  const out: { kind: ArnKind; label: string; arn: string }[] = [];
  const config = deps.backends.entry(target.backendId)?.config;
  const qconnect = config?.type === 'qconnect' ? { region: str(config.region), assistantId: str(config.assistantId) } : undefined;
  const sessionAttrs = target.session.attributes ?? {};
  // The account id is in no setting: take it from any ARN the data carries.
  const seen: unknown[] = [qconnect?.assistantId, sessionAttrs.sessionArn, sessionAttrs.assistantArn, span?.prompt?.arn, span?.attributes.aiAgentArn, span?.attributes.instanceArn];
  const loaded = deps.sessions.peek(target.backendId, target.session.id);
  if (loaded && !accountFrom(seen)) {
    let n = 0;
    for (const { node } of loaded.forest.walk()) {
      seen.push(node.span.prompt?.arn, node.span.attributes.aiAgentArn);
      if (++n > 2000 || accountFrom(seen)) break;
    }
  }
  const account = accountFrom(seen);
  const region = qconnect?.region ?? (account ? parseArn(seen.find((v) => typeof v === 'string' && parseArn(v)) as string)?.region : undefined);

  const sessionArn = str(sessionAttrs.sessionArn) ?? str(sessionAttrs.arn);
  if (sessionArn) out.push({ kind: 'session', label: vscode.l10n.t('Session ARN'), arn: sessionArn });
  else if (qconnect?.assistantId && region && account) {
    out.push({ kind: 'session', label: vscode.l10n.t('Session ARN'), arn: buildSessionArn({ partition: account.partition, region, account: account.account, assistantId: qconnect.assistantId, sessionId: target.session.id }) });
  }
  const prompt = span?.prompt;
  if (prompt?.arn) out.push({ kind: 'prompt', label: vscode.l10n.t('Prompt ARN'), arn: prompt.arn });
  else if (prompt?.id && qconnect?.assistantId && region && account) {
    out.push({ kind: 'prompt', label: vscode.l10n.t('Prompt ARN'), arn: buildPromptArn({ partition: account.partition, region, account: account.account, assistantId: qconnect.assistantId, promptId: prompt.id }) });
  }
  const agentArn = str(span?.attributes.aiAgentArn);
  if (agentArn) out.push({ kind: 'agent', label: vscode.l10n.t('AI agent ARN'), arn: agentArn });
  return out;
}

/** `kind` (a keybinding or script argument) skips the choice when several ARNs are known. */
export async function copyArn(deps: NavigationDeps, arg: unknown, kind?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target) return noTarget(deps.log, Commands.copyArn, arg);
  const span = target.spanKey ? await spanOf(deps, target) : undefined;
  const all = arnsOf(deps, target, span);
  const arns = typeof kind === 'string' && all.some((a) => a.kind === kind) ? all.filter((a) => a.kind === kind) : all;
  if (!arns.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No ARN is known for this {0}. ARNs exist for Amazon Q Connect sessions, prompts and AI agents; the account id must appear in an ARN of the backend settings or of the spans.', span ? vscode.l10n.t('span') : vscode.l10n.t('session')),
    );
    return undefined;
  }
  let chosen = arns[0];
  if (arns.length > 1) {
    const pick = await vscode.window.showQuickPick(
      arns.map((a) => ({ label: a.label, detail: a.arn, value: a })),
      { title: vscode.l10n.t('Copy ARN'), matchOnDetail: true },
    );
    if (!pick) return undefined;
    chosen = pick.value;
  }
  return copy(chosen.arn, chosen.label);
}

interface FormatChoice extends vscode.QuickPickItem {
  id: 'normalized' | 'native';
  extension: string;
}

function storeOf(backend: unknown): CaptureStore | undefined {
  const store = (backend as { store?: unknown } | undefined)?.store as CaptureStore | undefined;
  return store && typeof store.getCaptured === 'function' ? store : undefined;
}

/** The spans in the order the backend yielded them (the CLI sorts that order stably). */
function arrivalOrder(deps: NavigationDeps, target: Target): Span[] {
  const nodes = [...deps.sessions.get(target.backendId, target.session).forest.walk()].map((w) => w.node);
  nodes.sort((a, b) => a.seq - b.seq);
  return nodes.map((n) => n.span);
}

/**
 * Export Session: waits for the session to finish loading (with progress),
 * then writes the normalized `{session, spans}` JSON — or, for sessions the
 * capture store holds (live capture, openaiAgents and otlp files), the
 * native OpenAI JSONL / OTLP JSON they arrived in.
 */
export interface ExportOptions {
  /** Write here without a save dialog (scripts, tests). */
  uri?: vscode.Uri;
  format?: 'normalized' | 'native';
}

export async function exportSession(deps: NavigationDeps, arg: unknown, options: ExportOptions = {}): Promise<vscode.Uri | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target) return noTarget(deps.log, Commands.exportSession, arg);
  const loaded = deps.sessions.get(target.backendId, target.session);
  const label = target.session.name || target.session.id;
  const finished = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting session "{0}"', label), cancellable: true },
    async (progress, token) => {
      const report = () => progress.report({ message: vscode.l10n.t('{0} spans loaded…', formatCount(loaded.spanCount)) });
      const sub = loaded.onDidUpdate(report);
      report();
      try {
        if (loaded.state === 'error' || loaded.state === 'cancelled') void loaded.retry();
        const stopped = new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        await Promise.race([loaded.ensureLoaded(), stopped]);
        return !token.isCancellationRequested;
      } finally {
        sub.dispose();
      }
    },
  );
  if (!finished) return undefined;
  if (loaded.state === 'error') {
    void showBackendError(vscode.l10n.t('Export failed after {0} spans:', loaded.spanCount), loaded.error, () => exportSession(deps, target, options), target.backendId);
    return undefined;
  }
  if (loaded.state !== 'done') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Loading of session "{0}" was cancelled; nothing was exported.', label));
    return undefined;
  }

  const backend = await deps.backends.get(target.backendId).catch(() => undefined);
  const store = storeOf(backend);
  const captured = store?.getCaptured(target.session.id, target.backendId);
  const choices: FormatChoice[] = [{ id: 'normalized', extension: 'json', label: vscode.l10n.t('Span Inspector JSON'), detail: vscode.l10n.t('{session, spans} — the CLI export format, readable by the "file" backend') }];
  if (captured) {
    choices.push(
      captured.source === 'openai'
        ? { id: 'native', extension: 'jsonl', label: vscode.l10n.t('OpenAI Agents SDK JSONL'), detail: vscode.l10n.t('Tracing items as the SDK exported them, readable by the "openaiAgents" backend') }
        : { id: 'native', extension: 'json', label: vscode.l10n.t('OTLP JSON'), detail: vscode.l10n.t('An ExportTraceServiceRequest, readable by the "otlp" backend and OpenTelemetry tools') },
    );
  }
  let format = choices.find((c) => c.id === options.format) ?? choices[0];
  if (choices.length > 1 && !options.format) {
    const pick = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Export format') });
    if (!pick) return undefined;
    format = pick;
  }

  // A `file` backend's folder is where exports are read from: propose it.
  const fileBackend = deps.backends.list().find((b) => b.config?.type === 'file' && typeof b.config.path === 'string');
  const fileBackendDir = fileBackend ? resolveWorkspacePath(String(fileBackend.config!.path)) : undefined;
  const folder = fileBackendDir && isDirectory(fileBackendDir) ? vscode.Uri.file(fileBackendDir) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = exportFileName(target.session, format.extension);
  const given = isUriLike(options.uri) ? vscode.Uri.from(options.uri) : undefined;
  const uri = given ?? await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export session "{0}"', label),
    defaultUri: folder ? vscode.Uri.joinPath(folder, file) : undefined,
    filters: { [format.label]: [format.extension] },
  });
  if (!uri) return undefined;
  const text =
    format.id === 'native' && store
      ? (await exportCapturedSession(store, target.session.id, 'native', target.backendId))?.text
      : serializeSessionExport(buildSessionExport(sessionForExport(loaded.session, target.session), arrivalOrder(deps, target)));
  if (text === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Session "{0}" is no longer in the capture store.', label));
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  deps.log.info(`Exported session ${target.session.id} (${loaded.spanCount} spans, ${format.id}) to ${uri.fsPath}`);
  void announceExport(uri, loaded.spanCount);
  return uri;
}

async function announceExport(uri: vscode.Uri, count: number): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const message = count === 1 ? vscode.l10n.t('Exported 1 span to {0}.', vscode.workspace.asRelativePath(uri)) : vscode.l10n.t('Exported {0} spans to {1}.', formatCount(count), vscode.workspace.asRelativePath(uri));
  const choice = await vscode.window.showInformationMessage(message, open, reveal);
  if (choice === open) await vscode.window.showTextDocument(uri);
  else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', uri);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The most detailed Session object we have (the loaded one may have been refreshed). */
function sessionForExport(a: Session, b: Session): Session {
  return Object.keys(a).length >= Object.keys(b).length ? a : b;
}
