// "Reveal in Tree": selects a session or span in the Sessions tree, loading
// the session and paging "Show more" far enough for the span to be listed.
import * as vscode from 'vscode';
import { SessionNode, SpanTreeNode, TraceNode, type TreeNode } from '../views/nodes';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { noTarget, resolveTarget, waitForSpan, type NavigationDeps } from './context';
import { Commands } from '../common/commands';
import type { Target } from '../common/target';

/**
 * Levels the Sessions tree is expanded to when revealing a span. VS Code's tree
 * expands one level per round trip to the extension host and indents every
 * level: revealing a span 20,000 levels deep froze the workbench.
 */
export const MAX_REVEAL_DEPTH = 100;

/**
 * Children the tree is made to list for a reveal. VS Code builds every listed
 * child at once: listing 20,000 siblings to reveal the last one blocked the
 * workbench for 15 s.
 */
export const MAX_REVEAL_INDEX = 500;

/** Where `node` is among its tree siblings, per ancestor (nearest first). */
function positions(node: SpanTreeNode): { parent: TreeNode; index: number }[] {
  const forest = node.sessionNode.loaded.forest;
  const out: { parent: TreeNode; index: number }[] = [];
  let child: TreeNode = node;
  while (child instanceof SpanTreeNode && child.parent) {
    const parent: TreeNode = child.parent;
    let siblings;
    if (parent instanceof SpanTreeNode) siblings = forest.childrenOf(parent.node);
    else if (parent instanceof TraceNode) siblings = forest.roots().filter((r) => (r.span.traceId ?? '') === parent.traceId);
    else siblings = forest.roots();
    out.push({ parent, index: siblings.indexOf(child.node) });
    child = parent;
  }
  return out;
}

/** The first ancestor position the tree would have to list beyond MAX_REVEAL_INDEX, if any. */
function tooFar(tree: SessionsTreeProvider, node: SpanTreeNode): { parent: TreeNode; index: number } | undefined {
  return positions(node).find((p) => p.index >= tree.childLimit(p.parent.id) && p.index >= MAX_REVEAL_INDEX);
}

/** Grows the parents' "Show more" limits so every ancestor of `node` lists it. */
function makeListed(tree: SessionsTreeProvider, node: SpanTreeNode): void {
  for (const { parent, index } of positions(node)) {
    if (index >= tree.childLimit(parent.id)) {
      while (index >= tree.childLimit(parent.id)) tree.showMore(parent.id);
      tree.refresh(parent);
    }
  }
}

/**
 * Reveals a target. `quiet` (automatic reveal when the panel selects a span)
 * shows no progress or messages.
 */
export async function revealTarget(deps: NavigationDeps, target: Target, options: { focus: boolean; quiet?: boolean }): Promise<TreeNode | undefined> {
  const sessionNode = deps.tree.sessionNode(target.backendId, target.session);
  if (!sessionNode) {
    if (!options.quiet) void vscode.window.showWarningMessage(vscode.l10n.t('Backend "{0}" is not in the Span Inspector tree any more.', target.backendId));
    return undefined;
  }
  let node: TreeNode = sessionNode;
  if (target.spanKey) {
    const key = target.spanKey;
    const wait = (token?: vscode.CancellationToken) => waitForSpan(sessionNode.loaded, key, token);
    const ok = options.quiet
      ? await wait()
      : await vscode.window.withProgress({ location: { viewId: 'spanInspector.sessions' }, title: vscode.l10n.t('Loading session…') }, (_p, token) => wait(token));
    const spanNode = ok ? deps.tree.spanNode(target.backendId, target.session, key) : undefined;
    if (!spanNode) {
      if (!options.quiet) void vscode.window.showWarningMessage(vscode.l10n.t('Span {0} is not in session {1}.', key, target.session.id));
      return undefined;
    }
    // Deep spans: the panel follows them in its waterfall; the tree stops at MAX_REVEAL_DEPTH.
    let depth = 0;
    let shown = spanNode.node;
    for (let p = spanNode.node.parent; p; p = p.parent) {
      depth++;
      if (depth > MAX_REVEAL_DEPTH) shown = shown.parent ?? shown;
    }
    if (depth > MAX_REVEAL_DEPTH) {
      if (options.quiet) return undefined;
      const ancestor = deps.tree.spanNode(target.backendId, target.session, shown.key);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Span {0} is {1} levels deep; the Sessions tree is expanded to level {2} (span {3}). Its deeper levels are in the panel\'s waterfall.', key, depth, MAX_REVEAL_DEPTH, shown.key),
      );
      if (!ancestor) return undefined;
      makeListed(deps.tree, ancestor);
      await deps.treeView.reveal(ancestor, { select: true, focus: options.focus, expand: false });
      return ancestor;
    }
    const far = tooFar(deps.tree, spanNode);
    if (far) {
      // Among thousands of siblings: select the parent instead of listing them all.
      if (options.quiet) return undefined;
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Span {0} is child number {1} of its parent; the Sessions tree lists its first children only (use Show more). The panel\'s waterfall shows all of them.', key, far.index + 1),
      );
      await deps.treeView.reveal(far.parent, { select: true, focus: options.focus, expand: false });
      return far.parent;
    }
    makeListed(deps.tree, spanNode);
    node = spanNode;
  }
  await deps.treeView.reveal(node, { select: true, focus: options.focus, expand: node instanceof SessionNode });
  return node;
}

export async function revealInTree(deps: NavigationDeps, arg: unknown): Promise<TreeNode | undefined> {
  const target = await resolveTarget(deps, arg);
  if (!target) return noTarget(deps.log, Commands.revealInTree, arg);
  try {
    return await revealTarget(deps, target, { focus: true });
  } catch (err) {
    deps.log.warn(`Reveal in tree failed: ${(err as Error).message}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Could not reveal the span in the tree: {0}', (err as Error).message));
    return undefined;
  }
}

/** Follows the panel: when it opens a span and the tree is visible, select it there (without focus). */
export function followPanelSelection(deps: NavigationDeps): vscode.Disposable {
  return deps.panels.onDidSelectSpan(async (t) => {
    if (!deps.treeView.visible) return;
    try {
      const target = await resolveTarget(deps, t);
      if (target) await revealTarget(deps, target, { focus: false, quiet: true });
    } catch (err) {
      deps.log.debug(`Tree did not follow the panel: ${(err as Error).message}`);
    }
  });
}
