// "Add Backend…": a multi-step input (title, step n of N, Back) driven by
// BACKEND_SPECS: pick a type, fill its fields (checked as typed), name it,
// choose workspace or user settings, then a test call before anything is saved.
import * as vscode from 'vscode';
import type { BackendConfig, BackendContext } from '../../backends/types';
import { resolveWorkspacePath, type BackendService } from '../../services/backendService';
import { runConnectionTest, listOneSession, type ConnectionResult } from './connectionTest';
import { BACKEND_SPECS, entryFrom, type BackendSpec, type FieldSpec } from './specs';
import { backendId as checkId, idFromLabel, required } from './validators';
import { Commands } from '../../common/commands';

type Scope = 'workspace' | 'user';

/** What the command returns (scripts and tests read it). */
export interface AddBackendResult {
  id?: string;
  scope?: Scope;
  test?: ConnectionResult;
  saved: boolean;
}

type StepResult = 'next' | 'back' | 'cancel';

interface State {
  spec?: BackendSpec;
  values: Record<string, string>;
  label?: string;
  id?: string;
  scope?: Scope;
}

const BACK = vscode.QuickInputButtons.Back;

export async function addBackend(context: vscode.ExtensionContext, backends: BackendService): Promise<AddBackendResult> {
  const hasWorkspace = !!vscode.workspace.workspaceFolders?.length;
  const state: State = { values: {} };
  const taken = new Set(backends.list().map((b) => b.id));
  const steps = (): ((n: number, total: number) => Promise<StepResult>)[] => [
    (n, total) => pickType(state, n, total),
    ...(state.spec?.fields ?? []).map((f) => (n: number, total: number) => askField(state, f, n, total)),
    (n, total) => askLabel(state, taken, n, total),
    ...(hasWorkspace ? [(n: number, total: number) => pickScope(state, n, total)] : []),
  ];
  for (;;) {
    let i = 0;
    while (i < steps().length) {
      const list = steps();
      const r = await list[i](i + 1, state.spec ? list.length : 0);
      if (r === 'cancel') return { saved: false };
      i = r === 'back' ? Math.max(0, i - 1) : i + 1;
    }
    state.scope ??= 'user';
    const spec = state.spec!;
    const entry = entryFrom(spec, state.id!, state.label!, state.values);
    const test = await testEntry(context, backends, spec, entry, state.values);
    if (!test) return { saved: false };
    if (!test.ok) {
      const choice = await confirmAfterFailure(test, spec);
      if (choice === 'cancel') return { saved: false, test };
      if (choice === 'edit') continue;
    }
    await save(context, entry, spec, state.values, state.scope);
    void announce(entry, state.scope, test);
    return { id: entry.id, scope: state.scope, test, saved: true };
  }
}

function title(state: State): string {
  return state.spec ? vscode.l10n.t('Add Backend: {0}', state.spec.label) : vscode.l10n.t('Add Backend');
}

function pickType(state: State, step: number, total: number): Promise<StepResult> {
  interface Item extends vscode.QuickPickItem {
    spec: BackendSpec;
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title({ values: {} });
  qp.step = step;
  qp.totalSteps = total || undefined;
  qp.placeholder = vscode.l10n.t('Where do your traces live?');
  qp.ignoreFocusOut = true;
  qp.items = BACKEND_SPECS.map((spec) => ({ label: `$(${spec.icon}) ${spec.label}`, detail: spec.detail, spec }));
  const current = qp.items.find((i) => i.spec === state.spec);
  if (current) qp.activeItems = [current];
  return run(qp, (resolve) => {
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!chosen) return;
      if (state.spec !== chosen.spec) {
        state.spec = chosen.spec;
        state.values = {};
        state.label = undefined;
      }
      resolve('next');
    });
  });
}

function askField(state: State, field: FieldSpec, step: number, total: number): Promise<StepResult> {
  const ctx = { resolvePath: resolveWorkspacePath };
  const check = (v: string) => (field.optional && !v.trim() ? undefined : (field.validate?.(v, ctx) ?? (field.optional ? undefined : required(v))));
  return input(state, step, total, {
    prompt: field.help ? `${field.label} — ${field.help}` : field.label,
    placeholder: field.placeholder,
    value: state.values[field.key] ?? field.value ?? '',
    password: field.password,
    validate: check,
    accept: (v) => {
      state.values[field.key] = v.trim();
    },
  });
}

function askLabel(state: State, taken: ReadonlySet<string>, step: number, total: number): Promise<StepResult> {
  const spec = state.spec!;
  const fallback = spec.defaultLabel(state.values);
  const idOf = (label: string) => idFromLabel(label, spec.type, taken);
  return input(state, step, total, {
    prompt: vscode.l10n.t('Label shown in the Sessions tree (its id is derived from it)'),
    placeholder: fallback,
    value: state.label ?? fallback,
    validate: (v) => required(v) ?? checkId(idOf(v), taken),
    describe: (v) => (v.trim() ? vscode.l10n.t('Label shown in the Sessions tree — id: {0}', idOf(v)) : undefined),
    accept: (v) => {
      state.label = v.trim();
      state.id = idOf(v);
    },
  });
}

function pickScope(state: State, step: number, total: number): Promise<StepResult> {
  interface Item extends vscode.QuickPickItem {
    scope: Scope;
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title(state);
  qp.step = step;
  qp.totalSteps = total;
  qp.buttons = [BACK];
  qp.ignoreFocusOut = true;
  qp.placeholder = vscode.l10n.t('Save the backend in which settings?');
  qp.items = [
    { scope: 'workspace', label: `$(folder) ${vscode.l10n.t('Workspace settings')}`, description: '.vscode/settings.json', detail: vscode.l10n.t('Only this workspace; can be shared with the repository') },
    { scope: 'user', label: `$(account) ${vscode.l10n.t('User settings')}`, detail: vscode.l10n.t('Every workspace you open') },
  ];
  const current = qp.items.find((i) => i.scope === state.scope);
  if (current) qp.activeItems = [current];
  return run(qp, (resolve) => {
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!chosen) return;
      state.scope = chosen.scope;
      resolve('next');
    });
  });
}

interface InputOptions {
  prompt: string;
  placeholder?: string;
  value: string;
  password?: boolean;
  validate?: (v: string) => string | undefined;
  /** A prompt that follows the value (e.g. the derived id). */
  describe?: (v: string) => string | undefined;
  accept(v: string): void;
}

function input(state: State, step: number, total: number, o: InputOptions): Promise<StepResult> {
  const box = vscode.window.createInputBox();
  box.title = title(state);
  box.step = step;
  box.totalSteps = total;
  box.buttons = [BACK];
  box.ignoreFocusOut = true;
  box.prompt = o.describe?.(o.value) ?? o.prompt;
  box.placeholder = o.placeholder;
  box.value = o.value;
  box.password = !!o.password;
  const validate = (v: string) => {
    box.validationMessage = o.validate?.(v);
    box.prompt = o.describe?.(v) ?? o.prompt;
  };
  // An empty field shows its label first; "Required" only once the user tries to go on.
  if (o.value) validate(o.value);
  return run(box, (resolve) => {
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      validate(box.value);
      if (box.validationMessage) return;
      o.accept(box.value);
      resolve('next');
    });
  });
}

/** Shows `q`, resolves on accept (via `wire`), Back or hide (cancel). */
function run(q: vscode.QuickPick<never> | vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox | vscode.QuickInput, wire: (resolve: (r: StepResult) => void) => void): Promise<StepResult> {
  return new Promise<StepResult>((resolve) => {
    let done = false;
    const finish = (r: StepResult) => {
      if (done) return;
      done = true;
      resolve(r);
      q.dispose();
    };
    wire(finish);
    (q as vscode.InputBox).onDidTriggerButton?.((b) => {
      if (b === BACK) finish('back');
    });
    q.onDidHide(() => finish('cancel'));
    q.show();
  });
}

async function testEntry(context: vscode.ExtensionContext, backends: BackendService, spec: BackendSpec, entry: BackendConfig, values: Record<string, string>): Promise<ConnectionResult | undefined> {
  const typedSecrets = new Map<string, string>();
  for (const f of spec.fields) {
    const v = values[f.key]?.trim();
    if (f.secret && v) typedSecrets.set(f.secret(entry.id), v);
  }
  const host: BackendContext = {
    log: backends.log,
    getSecret: async (name) => typedSecrets.get(name) ?? ((await context.secrets.get(name)) || undefined),
    resolvePath: resolveWorkspacePath,
    storageDir: context.globalStorageUri.fsPath,
  };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing backend "{0}": {1}', entry.id, spec.testDescription), cancellable: true },
    async (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const result = await runConnectionTest(spec.test ?? listOneSession, entry, host, { signal: abort.signal });
      backends.log.info(`Add Backend: test of "${entry.id}" (${entry.type}) ${result.ok ? 'passed' : 'failed'}: ${result.message}`);
      return token.isCancellationRequested ? undefined : result;
    },
  );
}

async function confirmAfterFailure(test: ConnectionResult, spec: BackendSpec): Promise<'edit' | 'save' | 'cancel'> {
  interface Item extends vscode.QuickPickItem {
    choice: 'edit' | 'save' | 'cancel';
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = vscode.l10n.t('Add Backend: {0} — the test call failed', spec.label);
  qp.placeholder = test.message;
  qp.ignoreFocusOut = true;
  qp.items = [
    { choice: 'edit', label: `$(edit) ${vscode.l10n.t('Change the fields')}`, detail: test.message },
    { choice: 'save', label: `$(save) ${vscode.l10n.t('Save anyway')}`, detail: vscode.l10n.t('The Sessions tree shows the error until it is fixed') },
    { choice: 'cancel', label: `$(close) ${vscode.l10n.t('Cancel')}` },
  ];
  return new Promise((resolve) => {
    let done = false;
    const finish = (c: 'edit' | 'save' | 'cancel') => {
      if (done) return;
      done = true;
      resolve(c);
      qp.dispose();
    };
    qp.onDidAccept(() => finish((qp.selectedItems[0] ?? qp.activeItems[0])?.choice ?? 'cancel'));
    qp.onDidHide(() => finish('cancel'));
    qp.show();
  });
}

async function save(context: vscode.ExtensionContext, entry: BackendConfig, spec: BackendSpec, values: Record<string, string>, scope: Scope): Promise<void> {
  // Secrets first: the settings change recreates the backend, which reads them.
  for (const f of spec.fields) {
    const v = values[f.key]?.trim();
    if (f.secret && v) await context.secrets.store(f.secret(entry.id), v);
  }
  const config = vscode.workspace.getConfiguration('spanInspector');
  const target = scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>('backends');
  const current = (scope === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update('backends', [...(Array.isArray(current) ? current : []), entry], target);
}

async function announce(entry: BackendConfig, scope: Scope, test: ConnectionResult): Promise<void> {
  const where = scope === 'workspace' ? vscode.l10n.t('workspace settings (.vscode/settings.json)') : vscode.l10n.t('user settings');
  const open = vscode.l10n.t('Open settings');
  const message = test.ok
    ? vscode.l10n.t('Added backend "{0}" to {1}. {2}', entry.id, where, test.message)
    : vscode.l10n.t('Added backend "{0}" to {1}; its test call failed: {2}', entry.id, where, test.message);
  const show = test.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(message, open);
  if (choice === open) await vscode.commands.executeCommand(Commands.openBackendSettings, entry.id);
}
