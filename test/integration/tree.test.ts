import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionNode, SpanTreeNode, TreeNode } from '../../src/views/nodes';
import { api, childLabels, extensionPath, setBackends, waitFor } from './helpers';

const DESIGN_COMMANDS = [
  'refresh', 'findSession', 'openSpan', 'openSession', 'goToPromptSource', 'copySpanId', 'exportSession',
  'setApiKey', 'startCapture', 'stopCapture', 'addBackend',
].map((c) => `spanInspector.${c}`);

describe('extension in VS Code', () => {
  const sample = extensionPath('media', 'demo', 'sample-sessions.json');

  before(async () => {
    await setBackends([{ id: 'fixture', type: 'file', label: 'Fixture sessions', path: sample }]);
  });

  after(async () => {
    await setBackends([]);
  });

  it('activates and registers every command of the design', async () => {
    const a = await api();
    assert.ok(a.tree && a.panels && a.backends);
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of DESIGN_COMMANDS) {
      assert.ok(all.has(c), `${c} is registered`);
    }
  });

  it('shows backends → sessions → nested spans for a fixture backend', async () => {
    const a = await api();
    const roots = await waitFor('backend node', async () => {
      const r = await a.tree.getChildren();
      return r.some((n) => n.id === 'b:fixture') ? r : undefined;
    });
    const backend = roots.find((n) => n.id === 'b:fixture')!;
    const sessionLabels = await childLabels(a, backend);
    assert.deepEqual(sessionLabels, ['Fix failing build (coding agent)', 'Refund request — order 88123'], 'newest first');

    const sessions = await a.tree.getChildren(backend);
    const support = sessions.find((s) => s.id.endsWith('/s:demo-support-7f3a')) as SessionNode;
    await a.tree.getChildren(support);
    await support.loaded.ensureLoaded();
    const top = await a.tree.getChildren(support);
    assert.equal(top.length, 1);
    const rootItem = await a.tree.getTreeItem(top[0]);
    assert.equal(rootItem.label, 'SupportOrchestrator.run');
    assert.equal(rootItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const kids = await childLabels(a, top[0]);
    assert.deepEqual(kids, ['InputGuardrail', 'bedrock.converse', 'lookup_order', 'knowledge_base.retrieve', 'bedrock.converse', 'OutputGuardrail'], 'children by start time');
    const llm = (await a.tree.getChildren(top[0]))[1] as SpanTreeNode;
    const llmItem = await a.tree.getTreeItem(llm);
    assert.match(String(llmItem.description), /2\.90s · 2\.1k tok/);
    assert.equal(llmItem.contextValue, 'spanInspector.span.navigable');
    assert.equal(a.tree.getParent(llm), top[0], 'getParent supports reveal');
  });

  it('marks spans whose parent is missing and keeps them', async () => {
    const a = await api();
    const backend = (await a.tree.getChildren()).find((n) => n.id === 'b:fixture')!;
    const coder = (await a.tree.getChildren(backend)).find((s) => s.id.endsWith('/s:demo-coder-41c9')) as SessionNode;
    await coder.loaded.ensureLoaded();
    const top = await a.tree.getChildren(coder);
    const items = await Promise.all(top.map((n: TreeNode) => a.tree.getTreeItem(n)));
    const orphan = items.find((i) => i.label === 'custom: flush_metrics');
    assert.ok(orphan, 'orphan span is shown');
    assert.match(String(orphan.description), /parent missing/);
    const root = items.find((i) => i.label === 'CodingAgent.run')!;
    assert.equal((root.iconPath as vscode.ThemeIcon).id, 'error', 'failed span has the error icon');
  });

  it('refreshes the tree when settings change', async () => {
    const a = await api();
    const changed = new Promise<void>((resolve) => {
      const sub = a.tree.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    await setBackends([{ id: 'renamed', type: 'file', label: 'Renamed backend', path: sample }, { id: 'broken', type: 'sgp' }]);
    await changed;
    const labels = await childLabels(a);
    assert.deepEqual(labels, ['Renamed backend', 'broken']);
    const broken = (await a.tree.getChildren()).find((n) => n.id === 'b:broken')!;
    const errorRow = await childLabels(a, broken);
    assert.match(errorRow[0], /accountId|not built yet|required/i, 'a bad entry is shown as an error node');
    await setBackends([]);
    await waitFor('empty tree', async () => ((await a.tree.getChildren()).length === 0 ? true : undefined));
  });

  it('opens a span in the inspector panel', async () => {
    const a = await api();
    await setBackends([{ id: 'fixture', type: 'file', label: 'Fixture sessions', path: sample }]);
    const backend = await waitFor('backend', async () => (await a.tree.getChildren()).find((n) => n.id === 'b:fixture'));
    const support = (await a.tree.getChildren(backend)).find((s) => s.id.endsWith('/s:demo-support-7f3a')) as SessionNode;
    await support.loaded.ensureLoaded();
    const root = (await a.tree.getChildren(support))[0] as SpanTreeNode;
    await vscode.commands.executeCommand('spanInspector.openSpan', root);
    const tab = await waitFor('panel tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /Refund request/.test(t.label)),
    );
    assert.ok(tab.isActive);
  });
});
