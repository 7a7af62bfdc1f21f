// Guided setup: add a backend through quick picks, store an API key in
// SecretStorage, open the bundled demo data, sign-in help.
import * as vscode from 'vscode';
import { createFileBackend } from '../backends/file/fileBackend';
import { testJaegerConnection } from '../backends/jaeger/connection';
import { testPhoenixConnection } from '../backends/phoenix/connection';
import type { BackendConfig } from '../backends/types';
import type { BackendType } from '../model/types';
import type { BackendService } from '../services/backendService';

interface TypeChoice extends vscode.QuickPickItem {
  type: BackendType;
}

const TYPE_CHOICES: TypeChoice[] = [
  { type: 'qconnect', label: '$(cloud) Amazon Q Connect', detail: vscode.l10n.t('Spans of an assistant, read with ListSpans (AWS credentials)') },
  { type: 'sgp', label: '$(globe) Scale GenAI Platform', detail: vscode.l10n.t('v5 spans of an account (API key)') },
  { type: 'agno', label: '$(database) Agno', detail: vscode.l10n.t("Traces in the agent's SQLite file or PostgreSQL database") },
  { type: 'openaiAgents', label: '$(file-code) OpenAI Agents SDK (JSONL)', detail: vscode.l10n.t('Trace files written by a trace processor') },
  { type: 'otlp', label: '$(radio-tower) OpenTelemetry (OTLP JSON files)', detail: vscode.l10n.t('Files written by the OTel collector file exporter') },
  { type: 'file', label: '$(file) Span Inspector export', detail: vscode.l10n.t('A session exported by Span Inspector or its CLI') },
  { type: 'jaeger', label: '$(server) Jaeger', detail: vscode.l10n.t("A team's Jaeger v2 query service (optional bearer token)") },
  { type: 'phoenix', label: '$(server) Arize Phoenix', detail: vscode.l10n.t('A Phoenix server project (API key)') },
];

/** Backend types whose token lives in SecretStorage under `<type>.apiKey:<id>`. */
const KEYED_TYPES: readonly BackendType[] = ['sgp', 'jaeger', 'phoenix'];

export function registerSetupCommands(context: vscode.ExtensionContext, backends: BackendService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('spanInspector.addBackend', () => addBackend(context, backends)),
    vscode.commands.registerCommand('spanInspector.setApiKey', (backendId?: string) => setApiKey(context, backends, backendId)),
    vscode.commands.registerCommand('spanInspector.openDemo', () => openDemo(context, backends)),
    vscode.commands.registerCommand('spanInspector.showLog', () => backends.log.show()),
    vscode.commands.registerCommand('spanInspector.showSignInHelp', () => showSignInHelp()),
  ];
}

async function addBackend(context: vscode.ExtensionContext, backends: BackendService): Promise<void> {
  const pick = await vscode.window.showQuickPick(TYPE_CHOICES, { title: vscode.l10n.t('Add a Span Inspector backend'), placeHolder: vscode.l10n.t('Where do your traces live?') });
  if (!pick) return;
  const fields = await askFields(pick.type);
  if (!fields) return;
  const existing = new Set(backends.list().map((b) => b.id));
  let id: string = pick.type;
  for (let n = 2; existing.has(id); n++) id = `${pick.type}-${n}`;
  const entry: BackendConfig = { id, type: pick.type, ...fields };
  if ((pick.type === 'jaeger' || pick.type === 'phoenix') && !(await connectionOk(context, backends, entry))) return;
  const config = vscode.workspace.getConfiguration('spanInspector');
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>('backends');
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update('backends', [...current, entry], target);
  if (pick.type === 'sgp' || pick.type === 'phoenix') {
    await setApiKey(context, backends, id);
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Added backend "{0}".', id));
}

async function askFields(type: BackendType): Promise<Record<string, unknown> | undefined> {
  const ask = (prompt: string, value = '', validate?: (v: string) => string | undefined) =>
    vscode.window.showInputBox({ prompt, value, ignoreFocusOut: true, validateInput: (v) => validate?.(v.trim()) });
  const required = (v: string) => (v ? undefined : vscode.l10n.t('Required'));
  switch (type) {
    case 'qconnect': {
      const region = await ask(vscode.l10n.t('AWS region of the assistant'), 'us-east-1', required);
      if (!region) return undefined;
      const assistantId = await ask(vscode.l10n.t('Assistant id (UUID) or ARN'), '', required);
      if (!assistantId) return undefined;
      const profile = await ask(vscode.l10n.t('AWS profile (leave empty for the default credential chain)'));
      if (profile === undefined) return undefined;
      return { region: region.trim(), assistantId: assistantId.trim(), ...(profile.trim() ? { profile: profile.trim() } : {}) };
    }
    case 'sgp': {
      const accountId = await ask(vscode.l10n.t('SGP account id'), '', required);
      if (!accountId) return undefined;
      const baseUrl = await ask(vscode.l10n.t('Base URL'), 'https://api.egp.scale.com', (v) => (/^https?:\/\//.test(v) ? undefined : vscode.l10n.t('An http(s) URL')));
      if (!baseUrl) return undefined;
      return { accountId: accountId.trim(), baseUrl: baseUrl.trim() };
    }
    case 'agno': {
      // Offer the databases Agno creates by default.
      const found = await vscode.workspace.findFiles('{**/agno.db,**/tmp/*.db,**/*.sqlite}', '**/node_modules/**', 20);
      const items: vscode.QuickPickItem[] = [
        ...found.map((u) => ({ label: vscode.workspace.asRelativePath(u), description: vscode.l10n.t('SQLite file in the workspace') })),
        { label: vscode.l10n.t('Enter a path or postgresql:// URL…'), alwaysShow: true },
      ];
      const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Agno database') });
      if (!choice) return undefined;
      const database = choice.description ? choice.label : await ask(vscode.l10n.t('SQLite file path (workspace-relative allowed) or postgresql:// URL'), 'tmp/traces.db', required);
      return database ? { database: database.trim() } : undefined;
    }
    case 'jaeger':
    case 'phoenix': {
      const url = (v: string) => (/^https?:\/\//.test(v) ? undefined : vscode.l10n.t('An http(s) URL'));
      const baseUrl = await ask(type === 'jaeger' ? vscode.l10n.t('Jaeger query service URL') : vscode.l10n.t('Phoenix server URL'), type === 'jaeger' ? 'http://localhost:16686' : 'http://localhost:6006', url);
      if (!baseUrl) return undefined;
      const extra = await ask(type === 'jaeger' ? vscode.l10n.t('Service (leave empty for all services)') : vscode.l10n.t('Project'), type === 'jaeger' ? '' : 'default');
      if (extra === undefined) return undefined;
      const key = type === 'jaeger' ? 'service' : 'project';
      return { baseUrl: baseUrl.trim(), ...(extra.trim() ? { [key]: extra.trim() } : {}) };
    }
    default: {
      const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: type !== 'file', canSelectMany: false, title: vscode.l10n.t('Trace file or folder') });
      if (!picked?.[0]) return undefined;
      return { path: vscode.workspace.asRelativePath(picked[0], false) };
    }
  }
}

/** Runs the store's connection test; on failure offers to add the entry anyway. */
async function connectionOk(context: vscode.ExtensionContext, backends: BackendService, entry: BackendConfig): Promise<boolean> {
  const host = { log: backends.log, getSecret: async (name: string) => (await context.secrets.get(name)) || undefined, resolvePath: (p: string) => p };
  try {
    const test = entry.type === 'jaeger' ? testJaegerConnection : testPhoenixConnection;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing the connection…') }, () => test(entry, host));
    backends.log.info(`[setup] ${entry.type} ${entry.baseUrl}: ${r.message}`);
    return true;
  } catch (err) {
    const addAnyway = vscode.l10n.t('Add anyway');
    const choice = await vscode.window.showWarningMessage((err as Error).message, addAnyway);
    return choice === addAnyway;
  }
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
