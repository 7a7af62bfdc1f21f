// The "Sessions" tree. It only delegates to nodes; it owns the node cache (so
// getParent/reveal get the same instances), per-parent paging limits and the
// refresh wiring to backends and loading sessions.
import * as vscode from 'vscode';
import type { SessionFilters } from '../model/sessionTable';
import type { Session } from '../model/types';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import { BackendNode, CHILD_PAGE, SessionNode, SpanTreeNode, type TreeHost, type TreeNode } from './nodes';
import { Disposable } from '../common/disposable';

export class SessionsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode>, TreeHost {
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, TreeNode>();
  private readonly limits = new Map<string, number>();
  private backendNodes: BackendNode[] = [];
  private readonly watched = new WeakSet<LoadedSession>();
  private readonly costShown = new WeakMap<LoadedSession, object>();
  /** Set by the Filter Sessions command (treeFilter.ts). */
  filter: SessionFilters | undefined;

  constructor(
    readonly backends: BackendService,
    readonly sessions: SessionCache,
  ) {
    super();
    this.rebuildRoots();
    this._register(
      backends.onDidChangeBackends(() => {
        this.sessions.clear();
        this.rebuildRoots();
        this.refresh();
      }),
    );
    this._register(backends.onDidChangeData(({ backendId, sessionId }) => this.onLiveChange(backendId, sessionId)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      return this.backendNodes;
    }
    // Watch before asking for children: a fast source can finish loading
    // before the first await returns, and that last update must not be lost.
    if (node instanceof SessionNode) {
      this.watch(node.loaded);
    }
    return node.getChildren();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  intern<T extends TreeNode>(node: T): T {
    const existing = this.nodes.get(node.id) as T | undefined;
    if (existing && existing.type === node.type && existing.parent === node.parent) {
      return existing;
    }
    this.nodes.set(node.id, node);
    return node;
  }

  childLimit(parentId: string): number {
    return this.limits.get(parentId) ?? CHILD_PAGE;
  }

  showMore(parentId: string): void {
    this.limits.set(parentId, this.childLimit(parentId) + CHILD_PAGE * 5);
  }

  backendNode(backendId: string): BackendNode | undefined {
    return this.backendNodes.find((b) => b.entry.id === backendId);
  }

  /** The tree node of a session, adding it to its backend's list if it was found by lookup. */
  sessionNode(backendId: string, session: Session): SessionNode | undefined {
    return this.backendNode(backendId)?.ensureSession(session);
  }

  /** The node of a span (after its session's spans are loaded), for reveal. */
  spanNode(backendId: string, session: Session, spanKey: string): SpanTreeNode | undefined {
    return this.sessionNode(backendId, session)?.nodeFor(spanKey);
  }

  /** Clears every cached page and loaded session and reloads from the backends. */
  hardRefresh(): void {
    this.sessions.clear();
    this.nodes.clear();
    this.limits.clear();
    for (const b of this.backendNodes) {
      b.reset();
    }
    this.backends.reload();
  }

  private rebuildRoots(): void {
    this.nodes.clear();
    this.backendNodes = this.backends.list().map((e) => this.intern(new BackendNode(this, e)));
    void vscode.commands.executeCommand('setContext', 'spanInspector.hasBackends', this.backendNodes.length > 0);
  }

  private watch(loaded: LoadedSession): void {
    if (this.watched.has(loaded)) {
      return;
    }
    this.watched.add(loaded);
    this._register(
      loaded.onDidUpdate(() => {
        const node = this.nodes.get(`b:${loaded.backendId}/s:${loaded.session.id}`);
        this.refresh(node);
        // The backend's description sums its sessions' cost: update it once per finished load.
        const settled = loaded.state !== 'loading' ? loaded.cost : undefined;
        if (settled && this.costShown.get(loaded) !== settled) {
          this.costShown.set(loaded, settled);
          const b = this.backendNode(loaded.backendId);
          if (b) this.changed.fire(b);
        }
      }),
    );
  }

  /** A live source changed: reload the affected sessions in place and the session list. */
  private onLiveChange(backendId: string, sessionId: string | undefined): void {
    const affected = sessionId ? [this.sessions.peek(backendId, sessionId)] : this.sessions.forBackend(backendId);
    for (const loaded of affected) {
      if (loaded && (loaded.state === 'done' || loaded.state === 'error')) {
        void loaded.reload();
      }
    }
    const b = this.backendNode(backendId);
    if (b && (!sessionId || !b.sessions().some((s) => s.id === sessionId))) {
      b.reset();
      this.refresh(b);
    }
  }

}
