// Guided setup: the Add Backend wizard (addBackend/), open a backend's settings entry, store an API key in
// SecretStorage, open the bundled demo data, sign-in help.
import * as vscode from 'vscode';
import { createFileBackend } from '../backends/file/backend';
import type { BackendType } from '../model/types';
import type { BackendService } from '../services/backendService';
import { addBackend } from './addBackend/wizard';
import { openBackendSettings } from './backendSettings';

/** Backend types whose token lives in SecretStorage under `<type>.apiKey:<id>`. */
const KEYED_TYPES: readonly BackendType[] = ['sgp', 'jaeger', 'phoenix'];

export function registerSetupCommands(context: vscode.ExtensionContext, backends: BackendService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('spanInspector.addBackend', () => addBackend(context, backends)),
    vscode.commands.registerCommand('spanInspector.setApiKey', (backendId?: string) => setApiKey(context, backends, backendId)),
    vscode.commands.registerCommand('spanInspector.openDemo', () => openDemo(context, backends)),
    vscode.commands.registerCommand('spanInspector.showLog', () => backends.log.show()),
    vscode.commands.registerCommand('spanInspector.showSignInHelp', () => showSignInHelp()),
    vscode.commands.registerCommand('spanInspector.openBackendSettings', (backendId?: unknown, index?: unknown) => openBackendSettings(backendId, index)),
  ];
}

async function setApiKey(context: vscode.ExtensionContext, backends: BackendService, backendId?: string): Promise<void> {
  const keyed = backends.list().filter((b) => KEYED_TYPES.includes(b.config?.type as BackendType));
  let id = typeof backendId === 'string' ? backendId : undefined;
  if (!id && keyed.length > 1) {
    id = (await vscode.window.showQuickPick(keyed.map((b) => ({ label: b.id, description: b.label }))))?.label;
    if (!id) return;
  }
  id ??= keyed[0]?.id;
  const type = keyed.find((b) => b.id === id)?.config?.type ?? 'sgp';
  const titles: Partial<Record<BackendType, string>> = {
    sgp: vscode.l10n.t('Scale GenAI Platform API key'),
    jaeger: vscode.l10n.t('Jaeger bearer token'),
    phoenix: vscode.l10n.t('Phoenix API key'),
  };
  const key = await vscode.window.showInputBox({
    title: titles[type] ?? titles.sgp,
    prompt: id ? vscode.l10n.t('Stored in VS Code SecretStorage for backend "{0}", never in settings.', id) : vscode.l10n.t('Stored in VS Code SecretStorage, never in settings.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (!key) return;
  await context.secrets.store(id ? `${type}.apiKey:${id}` : `${type}.apiKey`, key.trim());
  if (id) backends.reset(id);
  void vscode.commands.executeCommand('spanInspector.refresh');
  void vscode.window.showInformationMessage(vscode.l10n.t('API key saved.'));
}

let demo: vscode.Disposable | undefined;

/** Adds the bundled sample sessions as a read-only backend, without touching settings. */
async function openDemo(context: vscode.ExtensionContext, backends: BackendService): Promise<void> {
  if (!demo) {
    const file = vscode.Uri.joinPath(context.extensionUri, 'media', 'demo', 'sample-sessions.json').fsPath;
    const backend = createFileBackend({ id: 'demo', type: 'file', label: vscode.l10n.t('Demo (sample sessions)'), path: file }, {
      log: backends.log,
      getSecret: async () => undefined,
      resolvePath: (p) => p,
    });
    demo = backends.addExtra(backend);
    context.subscriptions.push(demo);
  }
  await vscode.commands.executeCommand('spanInspector.sessions.focus');
}

async function showSignInHelp(): Promise<void> {
  const open = vscode.l10n.t('Open terminal');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Refresh your AWS credentials, e.g. run "aws sso login --profile <profile>" (or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), then Retry.'),
    open,
  );
  if (choice === open) {
    const t = vscode.window.createTerminal('AWS sign-in');
    t.show();
    t.sendText('aws sso login', false);
  }
}
