// "Go to Prompt Source": from a span's prompt, agent or tool reference to
// its definition in the workspace, or to the service's template.
import * as vscode from 'vscode';
import { describeRef, refsOf, type SourceRef } from './refs';
import type { Candidate } from './patterns';
import type { DependencyAnswer } from './definitions';
import { needSpanMessage, resolveTarget, spanOf, type NavigationDeps } from './context';
import { searchSources, type SearchResult } from './sourceSearch';
import type { PromptDocuments, PromptKey } from './promptDocuments';
import { openSetting, plain } from './ui';
import { showBackendError } from '../views/nextSteps';
import type { Target } from '../common/target';

/** What the command did; returned to callers (integration tests, other commands). */
export interface GoToResult {
  /** `error`: a backend failed (the user saw its message and next steps). */
  via: 'direct' | 'pick' | 'template' | 'dependency' | 'none' | 'cancelled' | 'error';
  /** `dependency`: the package that defines the reference. */
  dependency?: string;
  /** The opened document. */
  uri?: string;
  /** 0-based line of the highlighted match. */
  line?: number;
  /** Candidates found (after ranking and de-duplication). */
  candidates: number;
  /** `pick`: the items offered, as `group: kind of match` (e.g. `Partial name matches (not the whole name): partial match: Agent(name=…)`). */
  offered?: string[];
  /** `none` / `dependency`: the message shown. */
  message?: string;
}

interface CandidateItem extends vscode.QuickPickItem {
  candidate?: Candidate;
  template?: boolean;
}

type Group = 'exact' | 'definition' | 'partial' | 'copy' | 'mention';

const GROUP_TITLES: Record<Group, string> = {
  exact: 'Exact id / ARN / code location',
  definition: 'Definitions',
  partial: 'Partial name matches (not the whole name)',
  copy: 'Tests and generated copies',
  mention: 'Mentions',
};

const GROUP_ICONS: Record<Group, string> = { exact: 'target', definition: 'symbol-method', partial: 'question', copy: 'copy', mention: 'search' };

function groupOf(c: Candidate): Group {
  if (c.tier === 'mention') return 'mention';
  if (c.match === 'partial') return 'partial';
  if (c.place === 'test' || c.place === 'generated') return 'copy';
  return c.tier;
}

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

  const promptKey = templateKey(target, refs[0]);
  const templateAvailable = !!promptKey && (await docs.supports(target.backendId));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Searching prompt sources…') },
    (_p, token) => searchSources(refs, deps.backends, deps.log, { templateAvailable, token }),
  );
  const decision = result.decision;

  switch (decision.action) {
    case 'open':
      return { ...(await openCandidate(result, decision.candidate)), via: 'direct', candidates: result.candidates.length };
    case 'template': {
      const r = await openTemplate(docs, promptKey!, result.candidates.length, result.candidates.length > 0);
      // The service has no such prompt (deleted?): offer what the workspace has instead.
      return r.via === 'none' && result.candidates.length ? pick(result, result.refs, undefined, docs) : r;
    }
    case 'pick':
      return pick(result, result.refs, promptKey && templateAvailable ? promptKey : undefined, docs);
    case 'dependency':
      return dependency(result, result.refs[0], decision.dependency);
    case 'none':
      return { via: 'none', candidates: 0, message: notFound(result.refs.length ? result.refs : refs, result) };
  }
}

function templateKey(target: Target, ref: SourceRef): PromptKey | undefined {
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
    void showBackendError(vscode.l10n.t('Could not fetch the prompt template from backend "{0}":', key.backendId), err, () => openTemplate(docs, key, candidates), key.backendId);
    return { via: 'error', candidates };
  }
}

async function pick(result: SearchResult, refs: SourceRef[], templateKey: PromptKey | undefined, docs: PromptDocuments): Promise<GoToResult> {
  const items: CandidateItem[] = [];
  // Ranked order already keeps each group together; partial matches and copies are labelled as such.
  let group: Group | undefined;
  for (const c of result.candidates) {
    if (groupOf(c) !== group) {
      group = groupOf(c);
      items.push({ label: vscode.l10n.t(GROUP_TITLES[group]), kind: vscode.QuickPickItemKind.Separator });
    }
    const uri = result.uris.get(c.file);
    const where = uri ? vscode.workspace.asRelativePath(uri) : c.file;
    items.push({
      label: `$(${GROUP_ICONS[groupOf(c)]}) ${plain(c.preview || where)}`,
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
  const offered = items.filter((i) => i.candidate).map((i) => `${vscode.l10n.t(GROUP_TITLES[groupOf(i.candidate!)])}: ${i.candidate!.label}`);
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Go to Prompt Source'),
    placeHolder: vscode.l10n.t('{0} places reference {1}', result.candidates.length, describeRef(refs[0])),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!chosen) return { via: 'cancelled', candidates: result.candidates.length, offered };
  if (chosen.template && templateKey) {
    const r = await openTemplate(docs, templateKey, result.candidates.length);
    return r.via === 'template' ? { ...r, via: 'pick', offered } : r;
  }
  const opened = await openCandidate(result, chosen.candidate!);
  return { ...opened, via: 'pick', candidates: result.candidates.length, offered };
}

/** Where the search looked, for messages (file count, the setting and what is always left out). */
function searchedWhere(result: SearchResult): string {
  const more = result.truncated ? vscode.l10n.t(' (stopped after {0} files)', result.filesListed) : '';
  return vscode.l10n.t('{0} files matching spanInspector.promptSources{1}, without dependencies, build output, docs, test data, logs, trace files and files excluded by files.exclude, search.exclude or .gitignore', result.filesListed, more);
}

/** Says what was searched; the actions run when chosen (the command does not wait for them). */
function notFound(refs: SourceRef[], result: SearchResult): string {
  const what = refs.slice(0, 3).map(describeRef).join(', ');
  const search = vscode.l10n.t('Search the workspace');
  const open = vscode.l10n.t('Open settings');
  const mentions = result.mentions ? vscode.l10n.t(' {0} mentions (comments, docs, test data, logs) are not definitions.', result.mentions) : '';
  const message = vscode.l10n.t('No definition of {0} found in {1}.{2}', plain(what), searchedWhere(result), mentions);
  void Promise.resolve(vscode.window.showInformationMessage(message, search, open)).then(async (choice) => {
    if (choice === search) {
      const name = refs.find((r) => r.name)?.name ?? refs[0]?.id ?? '';
      await vscode.commands.executeCommand('workbench.action.findInFiles', { query: name, triggerSearch: true, matchWholeWord: true });
    } else if (choice === open) await openSetting('spanInspector.promptSources');
  });
  return message;
}

/** Defined inside an installed package: say so, and offer the user's import line and the package's source. */
function dependency(result: SearchResult, ref: SourceRef, dep: DependencyAnswer): GoToResult {
  const openImport = vscode.l10n.t('Open the import');
  const openDep = vscode.l10n.t('Open the package source');
  const where = dep.candidate ? result.uris.get(dep.candidate.file) : undefined;
  const actions = [...(dep.importLine ? [openImport] : []), ...(dep.candidate && where ? [openDep] : [])];
  const at = dep.importLine ? vscode.l10n.t(' Your import: {0}', plain(dep.importLine.preview)) : '';
  const message = vscode.l10n.t('{0} is defined in the dependency "{1}", not in your workspace.{2}', plain(describeRef(ref)), dep.package, at);
  void Promise.resolve(vscode.window.showInformationMessage(message, ...actions)).then(async (choice) => {
    if (choice === openImport && dep.importLine) await openCandidate(result, dep.importLine);
    else if (choice === openDep && dep.candidate) await openCandidate(result, dep.candidate);
  });
  return { via: 'dependency', dependency: dep.package, candidates: result.candidates.length, message };
}
