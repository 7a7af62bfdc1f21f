// The agent graph: agents, tools and models as nodes (aggregated, never one
// per span), calls and handoffs as edges labelled with counts, latency and
// errors. Laid out by dagre, drawn as SVG built with createElementNS (no
// markup strings). Clicking a node filters the waterfall to its spans.
import { Graph, layout } from '@dagrejs/dagre';
import type { AgentGraph, GraphNode } from '../src/model/agentGraph';
import { h, post } from './dom';
import { formatDuration, formatInt } from './renderable';
import { t } from './strings';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_H = 36;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface GraphHandlers {
  /** A node was clicked: show only its spans (undefined: show all). */
  filter(keys: string[] | undefined, label: string | undefined): void;
}

export class GraphView {
  readonly el = h('div', { class: 'graph', testid: 'agent-graph' });
  private complete = false;
  private requested = false;
  private selected: string | undefined;
  private readonly note = h('div', { class: 'muted graph-note' });
  /** The graph the nodes show, as JSON. */
  private shown = '';

  constructor(private readonly handlers: GraphHandlers) {}

  get isComplete(): boolean {
    return this.requested && this.complete;
  }

  reload(): void {
    this.requested = true;
    if (!this.el.childElementCount) this.el.replaceChildren(h('div', { class: 'empty muted' }, t('layingOut')));
    post({ type: 'requestGraph' });
  }

  onGraph(graph: AgentGraph, complete: boolean): void {
    this.complete = complete;
    // The same graph again (a reload at the end of loading): keep the nodes, so a click in flight is not lost.
    const signature = JSON.stringify(graph);
    if (signature === this.shown) {
      this.markSelected();
      return;
    }
    this.shown = signature;
    if (!graph.nodes.length) {
      this.el.replaceChildren(h('div', { class: 'empty muted', testid: 'graph-empty' }, t('noGraph')));
      return;
    }
    const g = new Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 10, marginy: 10 });
    g.setDefaultEdgeLabel(() => ({}));
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const n of graph.nodes) g.setNode(n.id, { width: Math.min(260, 40 + n.label.length * 7), height: NODE_H });
    graph.edges.forEach((e, i) => g.setEdge(e.from, e.to, { width: 90, height: 16, labelpos: 'c' }, `e${i}`));
    layout(g);
    const size = g.graph();
    const root = svg('svg', { width: Math.ceil(size.width ?? 400), height: Math.ceil(size.height ?? 200), role: 'img', 'aria-label': t('agentGraph') });
    const defs = svg('defs', {});
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'graph-arrow' }));
    defs.appendChild(marker);
    root.appendChild(defs);
    graph.edges.forEach((e, i) => {
      const edge = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number };
      const d = edge.points.map((p, j) => `${j ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
      const group = svg('g', { class: `graph-edge${e.errors ? ' failed' : ''}${e.handoff ? ' handoff' : ''}`, 'data-testid': 'graph-edge', 'data-from': e.from, 'data-to': e.to });
      group.appendChild(svg('path', { d, 'marker-end': 'url(#arrow)' }));
      const label = `${e.handoff ? `${t('handoff')} ` : ''}${formatInt(e.calls)}×${e.calls && e.totalMs ? ` · ${formatDuration(e.totalMs / e.calls)}` : ''}${e.errors ? ` · ${t('edgeErrors', formatInt(e.errors))}` : ''}`;
      if (edge.x !== undefined && edge.y !== undefined) group.appendChild(svg('text', { x: edge.x, y: edge.y, 'text-anchor': 'middle', class: 'graph-edge-label' }, label));
      root.appendChild(group);
    });
    for (const id of g.nodes()) {
      const n = byId.get(id)!;
      const box = g.node(id) as { x: number; y: number; width: number; height: number };
      const group = svg('g', { class: `graph-node kind-${n.kind}${n.errors ? ' failed' : ''}${this.selected === id ? ' selected' : ''}`, 'data-testid': 'graph-node', 'data-id': id, tabindex: 0, role: 'button' });
      group.appendChild(svg('rect', { x: box.x - box.width / 2, y: box.y - box.height / 2, width: box.width, height: box.height, rx: 6 }));
      const name = n.label.length > 34 ? `${n.label.slice(0, 33)}…` : n.label;
      group.appendChild(svg('text', { x: box.x, y: box.y - 3, 'text-anchor': 'middle', class: 'graph-node-label' }, name));
      group.appendChild(svg('text', { x: box.x, y: box.y + 12, 'text-anchor': 'middle', class: 'graph-node-meta' }, `${n.kind} · ${formatInt(n.calls)} call${n.calls === 1 ? '' : 's'}${n.errors ? ` · ${formatInt(n.errors)} err` : ''}`));
      group.appendChild(svg('title', {}, n.label));
      const pick = () => this.pick(n);
      group.addEventListener('click', pick);
      group.addEventListener('keydown', (ev) => {
        if ((ev as KeyboardEvent).key === 'Enter') pick();
      });
      root.appendChild(group);
    }
    this.note.textContent = this.selected ? t('graphSelected') : t('graphHint');
    this.el.replaceChildren(this.note, h('div', { class: 'graph-canvas' }, root));
  }

  private pick(n: GraphNode): void {
    this.selected = this.selected === n.id ? undefined : n.id;
    this.handlers.filter(this.selected ? n.spans : undefined, this.selected ? n.label : undefined);
    this.markSelected();
  }

  /** The waterfall's chip showed every span again: no node is picked. */
  deselect(): void {
    this.selected = undefined;
    this.markSelected();
  }

  private markSelected(): void {
    for (const el of Array.from(this.el.querySelectorAll<SVGGElement>('.graph-node'))) el.classList.toggle('selected', el.dataset.id === this.selected);
    this.note.textContent = this.selected ? t('graphSelected') : t('graphHint');
  }
}
