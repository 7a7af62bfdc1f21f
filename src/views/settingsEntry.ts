// Finds a backend entry in the text of a settings.json (JSONC), so "Open
// settings" can put the cursor on that entry. Pure: no `vscode`.
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export const BACKENDS_KEY = 'spanInspector.backends';

export interface TextRange {
  offset: number;
  length: number;
}

/**
 * The range of the entry with `id` in `spanInspector.backends`, else of the
 * `index`-th entry, else of the setting itself; undefined when the file has none.
 */
export function findBackendEntry(text: string, id?: string, index?: number): TextRange | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return undefined;
  const list = findNodeAtLocation(root, [BACKENDS_KEY]);
  if (!list) return undefined;
  const entries: Node[] = list.type === 'array' ? (list.children ?? []) : [];
  const byId = id === undefined ? undefined : entries.find((e) => e.type === 'object' && findNodeAtLocation(e, ['id'])?.value === id);
  const hit = byId ?? (index !== undefined ? entries[index] : undefined);
  const target = hit ?? list.parent ?? list;
  return { offset: target.offset, length: target.length };
}

/** Which settings scope holds the entry the tree shows: workspace values replace user values (arrays do not merge). */
export function scopeOfEntry(inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown; globalValue?: unknown } | undefined, id: string): 'workspaceFolder' | 'workspace' | 'user' | undefined {
  const has = (v: unknown) => Array.isArray(v) && v.some((e) => e && typeof e === 'object' && (e as { id?: unknown }).id === id);
  if (inspected?.workspaceFolderValue !== undefined) return has(inspected.workspaceFolderValue) ? 'workspaceFolder' : undefined;
  if (inspected?.workspaceValue !== undefined) return has(inspected.workspaceValue) ? 'workspace' : undefined;
  if (inspected?.globalValue !== undefined) return has(inspected.globalValue) ? 'user' : undefined;
  return undefined;
}
