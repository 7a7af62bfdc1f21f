// Shared helpers for suites that run inside VS Code.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpanInspectorApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes';
import { waitFor as poll } from '../support/waitFor';

export const EXTENSION_ID = 'span-inspector.span-inspector';

export async function api(): Promise<SpanInspectorApi> {
  const ext = vscode.extensions.getExtension<SpanInspectorApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function extensionPath(...parts: string[]): string {
  return path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, ...parts);
}

export async function setBackends(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('spanInspector').update('backends', value, vscode.ConfigurationTarget.Workspace);
}

/** test/support/waitFor with the integration suite's patience (20 s, polled every 100 ms). */
export function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return poll(what, fn, timeoutMs, 100);
}

/** Labels of a node's children as the tree would show them. */
export async function childLabels(a: SpanInspectorApi, node?: TreeNode): Promise<string[]> {
  const kids = await a.tree.getChildren(node);
  const items = await Promise.all(kids.map((k) => a.tree.getTreeItem(k)));
  return items.map((i) => (typeof i.label === 'string' ? i.label : i.label?.label ?? ''));
}
