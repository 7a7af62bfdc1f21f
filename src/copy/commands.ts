// Copy Span as Markdown / Copy Session as Markdown, and the language-model
// tool that hands the same projection to Copilot Chat. Secrets are masked by
// key name and by the values of the workspace's .env files (read on each use:
// they are small, and a stale cache would leak a rotated key).
import * as vscode from 'vscode';
import type { SecretRules } from '../compare/normalize';
import { needSessionMessage, needSpanMessage, resolveTarget, spanOf, type NavigationDeps } from '../navigation/context';
import { sessionMarkdown, spanMarkdown } from './markdown';
import { parseDotEnv, secretRules, type EnvEntry } from './secrets';
import { Commands } from '../common/commands';
import { registerCommand } from '../views/registerCommand';

const MAX_ENV_FILES = 50;

export async function workspaceSecretRules(): Promise<SecretRules> {
  const entries: EnvEntry[] = [];
  const files = await vscode.workspace.findFiles('**/{.env,.env.*,*.env}', '**/node_modules/**', MAX_ENV_FILES);
  for (const uri of files) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength <= 256 * 1024) entries.push(...parseDotEnv(new TextDecoder().decode(bytes)));
    } catch {
      // unreadable: nothing to mask from it
    }
  }
  return secretRules(entries);
}

/** The Markdown of a span (a target with spanKey) or of its whole session. */
export async function markdownOf(deps: NavigationDeps, arg: unknown, scope: 'span' | 'session', token?: vscode.CancellationToken): Promise<string | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target) return undefined;
  const secrets = await workspaceSecretRules();
  if (scope === 'span') {
    if (!target.spanKey) return undefined;
    const span = await spanOf(deps, target, token);
    return span ? spanMarkdown(span, { secrets }) : undefined;
  }
  const loaded = deps.sessions.get(target.backendId, target.session);
  await loaded.ensureLoaded();
  return sessionMarkdown(loaded.session, loaded.spans(), { secrets });
}

export function registerCopy(deps: NavigationDeps): vscode.Disposable[] {
  const copy = (scope: 'span' | 'session') => async (arg?: unknown) => {
    const text = await markdownOf(deps, arg, scope);
    if (text === undefined) {
      void vscode.window.showInformationMessage(scope === 'span' ? needSpanMessage() : needSessionMessage());
      return undefined;
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the {0} as Markdown ({1} characters)', scope === 'span' ? vscode.l10n.t('span') : vscode.l10n.t('session'), text.length), 4000);
    return text;
  };
  return [
    registerCommand(deps.log, Commands.copySpanAsMarkdown, vscode.l10n.t('Copy as Markdown'), copy('span')),
    registerCommand(deps.log, Commands.copySessionAsMarkdown, vscode.l10n.t('Copy as Markdown'), copy('session')),
  ];
}
