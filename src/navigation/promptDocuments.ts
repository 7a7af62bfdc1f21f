// Read-only documents for prompt templates fetched from a backend (Q Connect
// GetAIPrompt) when the workspace has no source for them, and the
// "Save to workspace…" command for such a document.
//
// URI: span-inspector-prompt:/<name>.yaml?backend=…&id=…&arn=…&version=…
// The query is enough to fetch the template again, so an editor restored
// after a window reload still shows its content.
import * as vscode from 'vscode';
import { toBackendError } from '../backends/errors';
import type { PromptTemplate } from '../backends/types';
import type { BackendService } from '../services/backendService';

export const PROMPT_SCHEME = 'span-inspector-prompt';

export interface PromptKey {
  backendId: string;
  id?: string;
  arn?: string;
  version?: number;
  name?: string;
}

const EXTENSIONS: Record<string, string> = { yaml: 'yaml', json: 'json', markdown: 'md', plaintext: 'txt' };

export function promptUri(key: PromptKey, language = 'yaml'): vscode.Uri {
  const query = new URLSearchParams({ backend: key.backendId });
  if (key.id) query.set('id', key.id);
  if (key.arn) query.set('arn', key.arn);
  if (key.version !== undefined) query.set('version', String(key.version));
  const base = (key.name || key.id || 'prompt').replace(/[\\/:*?"<>|\s]+/g, '_');
  const ext = EXTENSIONS[language] ?? 'txt';
  return vscode.Uri.from({ scheme: PROMPT_SCHEME, path: `/${base}.${ext}`, query: query.toString() });
}

function keyOf(uri: vscode.Uri): PromptKey {
  const query = new URLSearchParams(uri.query);
  const version = query.get('version');
  const file = uri.path.split('/').pop() ?? '';
  return {
    backendId: query.get('backend') ?? '',
    id: query.get('id') ?? undefined,
    arn: query.get('arn') ?? undefined,
    version: version !== null && version !== '' && Number.isFinite(Number(version)) ? Number(version) : undefined,
    name: file.replace(/\.[^.]+$/, ''),
  };
}

export class PromptDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly templates = new Map<string, PromptTemplate>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly backends: BackendService) {}

  /** Fetches a prompt's template; undefined when the backend cannot provide it. */
  async fetch(key: PromptKey, signal?: AbortSignal): Promise<PromptTemplate | undefined> {
    const backend = await this.backends.get(key.backendId);
    if (!backend.getPromptTemplate) return undefined;
    return backend.getPromptTemplate({ id: key.id, arn: key.arn, version: key.version }, signal);
  }

  async supports(backendId: string): Promise<boolean> {
    try {
      return typeof (await this.backends.get(backendId)).getPromptTemplate === 'function';
    } catch {
      return false;
    }
  }

  /** Opens the template as a read-only editor; throws a BackendError when fetching fails. */
  async open(key: PromptKey): Promise<vscode.TextEditor | undefined> {
    const template = await this.fetch(key);
    if (!template) return undefined;
    const uri = promptUri({ ...key, name: template.name ?? key.name }, template.language);
    this.templates.set(uri.toString(), template);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (template.language && doc.languageId !== template.language) {
      doc = await vscode.languages.setTextDocumentLanguage(doc, template.language);
    }
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    vscode.window.setStatusBarMessage(vscode.l10n.t('Read-only prompt template from {0} — use "Save Prompt Template to Workspace…" to keep it.', template.source), 8000);
    return editor;
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const cached = this.templates.get(uri.toString());
    if (cached) return cached.text;
    // Restored after a reload: fetch again.
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const template = await this.fetch(keyOf(uri), abort.signal);
      if (!template) return vscode.l10n.t('# This backend cannot provide prompt templates.');
      this.templates.set(uri.toString(), template);
      return template.text;
    } catch (err) {
      return `# ${vscode.l10n.t('Could not fetch the prompt template: {0}', toBackendError(err).message)}\n`;
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.templates.clear();
  }
}

/** A Uri (or its JSON form); editor/title menus pass other objects as a second argument. */
export function isUriLike(v: unknown): v is vscode.Uri {
  return !!v && typeof v === 'object' && typeof (v as vscode.Uri).scheme === 'string' && typeof (v as vscode.Uri).path === 'string';
}

/**
 * "Save to workspace…": writes the virtual document's text to a file the
 * user picks (or `to`, for scripts and tests), then opens it.
 */
export async function savePromptToWorkspace(arg?: unknown, to?: unknown): Promise<vscode.Uri | undefined> {
  const uri = isUriLike(arg) ? vscode.Uri.from(arg) : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== PROMPT_SCHEME) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a prompt template fetched by Span Inspector first.'));
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const file = uri.path.split('/').pop() || 'prompt.yaml';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = isUriLike(to) ? vscode.Uri.from(to) : await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save prompt template to the workspace'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'prompts', file) : undefined,
    filters: { [vscode.l10n.t('Prompt template')]: [file.split('.').pop() || 'yaml'], [vscode.l10n.t('All files')]: ['*'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.writeFile(target, Buffer.from(doc.getText(), 'utf8'));
  await vscode.window.showTextDocument(target, { preview: false });
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the prompt template to {0}.', vscode.workspace.asRelativePath(target)));
  return target;
}
