// "Go to Prompt Source": from a span's prompt, agent or tool reference to
// its definition in the workspace, or to the service's template.
import * as vscode from 'vscode';
import { describeRef, refsOf, type SourceRef } from './refs';
import { decide, type Candidate, type MatchTier } from './patterns';
import { needSpanMessage, resolveTarget, spanOf, type NavigationDeps, type NavTarget } from './context';
import { searchSources, type SearchResult } from './sourceSearch';
import type { PromptDocuments, PromptKey } from './promptDocuments';
import { openSetting, plain, showBackendError } from './ui';

/** What the command did; returned to callers (integration tests, other commands). */
export interface GoToResult {
  /** `error`: a backend failed (the user saw its message and next steps). */
  via: 'direct' | 'pick' | 'template' | 'none' | 'cancelled' | 'error';
  /** The opened document. */
  uri?: string;
  /** 0-based line of the highlighted match. */
  line?: number;
  /** Candidates found (after ranking and de-duplication). */
  candidates: number;
}

interface CandidateItem extends vscode.QuickPickItem {
  candidate?: Candidate;
  template?: boolean;
}

const TIER_TITLES: Record<MatchTier, string> = {
  exact: 'Exact id / ARN matches',
  definition: 'Definitions',
  mention: 'Mentions',
};

const TIER_ICONS: Record<MatchTier, string> = { exact: 'target', definition: 'symbol-method', mention: 'search' };

export async function goToPromptSource(deps: NavigationDeps, docs: PromptDocuments, arg: unknown): Promise<GoToResult | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target?.spanKey) {
    void vscode.window.showInformationMessage(needSpanMessage());
    return undefined;
  }
  const span = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading span…') }, () => spanOf(deps, target));
  if (!span) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Span {0} is not in session {1} (it may still be loading, or loading failed).', target.spanKey, target.session.id));
    return undefined;
  }
  const refs = refsOf(span);
  if (!refs.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Span "{0}" names no prompt, agent or tool to look up.', span.name));
    return { via: 'none', candidates: 0 };
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Searching prompt sources…') },
    (_p, token) => searchSources(refs, deps.backends, deps.log, token),
  );
  const promptKey = templateKey(target, refs[0]);
  const templateAvailable = !!promptKey && (await docs.supports(target.backendId));
  const decision = decide(result.candidates, { templateAvailable, primaryIsPrompt: refs[0].kind === 'prompt' });

  switch (decision.action) {
    case 'open':
      return { ...(await openCandidate(result, decision.candidate)), via: 'direct', candidates: result.candidates.length };
    case 'template': {
      const r = await openTemplate(docs, promptKey!, result.candidates.length, result.candidates.length > 0);
      // The service has no such prompt (deleted?): offer what the workspace has instead.
      return r.via === 'none' && result.candidates.length ? pick(result, refs, undefined, docs) : r;
    }
    case 'pick':
      return pick(result, refs, promptKey && templateAvailable ? promptKey : undefined, docs);
    case 'none':
      void notFound(refs, result);
      return { via: 'none', candidates: 0 };
  }
}

function templateKey(target: NavTarget, ref: SourceRef): PromptKey | undefined {
  if (ref.kind !== 'prompt' || (!ref.id && !ref.arn)) return undefined;
  return { backendId: target.backendId, id: ref.id, arn: ref.arn, version: ref.version, name: ref.name };
}

async function openCandidate(result: SearchResult, c: Candidate): Promise<{ uri: string; line: number }> {
  const uri = result.uris.get(c.file) ?? vscode.Uri.parse(c.file);
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = doc.validateRange(new vscode.Range(c.line, c.column, c.line, c.column + c.length));
  const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  return { uri: doc.uri.toString(), line: range.start.line };
}

/** `quietIfMissing`: the caller offers something else when the service has no template. */
async function openTemplate(docs: PromptDocuments, key: PromptKey, candidates: number, quietIfMissing = false): Promise<GoToResult> {
  try {
    const editor = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching prompt template from backend "{0}"…', key.backendId) },
      () => docs.open(key),
    );
    if (!editor) {
      if (!quietIfMissing) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Backend "{0}" has no template for prompt {1}.', key.backendId, key.name ?? key.id ?? key.arn ?? ''));
      }
      return { via: 'none', candidates };
    }
    return { via: 'template', uri: editor.document.uri.toString(), line: 0, candidates };
  } catch (err) {
    void showBackendError(vscode.l10n.t('Could not fetch the prompt template from backend "{0}":', key.backendId), err, () => openTemplate(docs, key, candidates));
    return { via: 'error', candidates };
  }
}

async function pick(result: SearchResult, refs: SourceRef[], templateKey: PromptKey | undefined, docs: PromptDocuments): Promise<GoToResult> {
  const items: CandidateItem[] = [];
  let tier: MatchTier | undefined;
  for (const c of result.candidates) {
    if (c.tier !== tier) {
      tier = c.tier;
      items.push({ label: vscode.l10n.t(TIER_TITLES[tier]), kind: vscode.QuickPickItemKind.Separator });
    }
    const uri = result.uris.get(c.file);
    const where = uri ? vscode.workspace.asRelativePath(uri) : c.file;
    items.push({
      label: `$(${TIER_ICONS[c.tier]}) ${plain(c.preview || where)}`,
      description: `${where}:${c.line + 1}`,
      detail: `${c.label} · ${plain(describeRef(refs[c.ref]))}`,
      candidate: c,
    });
  }
  if (templateKey) {
    items.push({ label: vscode.l10n.t('Service'), kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: `$(cloud-download) ${vscode.l10n.t('Open the template from backend "{0}" (read-only)', templateKey.backendId)}`,
      detail: plain(describeRef(refs[0])),
      template: true,
    });
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Go to Prompt Source'),
    placeHolder: vscode.l10n.t('{0} places reference {1}', result.candidates.length, describeRef(refs[0])),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen) return { via: 'cancelled', candidates: result.candidates.length };
  if (chosen.template && templateKey) {
    const r = await openTemplate(docs, templateKey, result.candidates.length);
    return r.via === 'template' ? { ...r, via: 'pick' } : r;
  }
  const opened = await openCandidate(result, chosen.candidate!);
  return { ...opened, via: 'pick', candidates: result.candidates.length };
}

async function notFound(refs: SourceRef[], result: SearchResult): Promise<void> {
  const what = refs.slice(0, 3).map(describeRef).join(', ');
  const open = vscode.l10n.t('Open settings');
  const more = result.truncated ? vscode.l10n.t(' (stopped after {0} files)', result.filesListed) : '';
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('No source for {0} found in {1} files matching spanInspector.promptSources{2}.', what, result.filesListed, more),
    open,
  );
  if (choice === open) await openSetting('spanInspector.promptSources');
}
