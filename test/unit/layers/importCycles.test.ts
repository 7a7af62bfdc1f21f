// The layers are one-way (docs/architecture.md): no import cycle between the
// top-level folders of src/ (a top-level file counts as its own node), nor
// between the folders of src/backends/ (each backend type, the shared helpers,
// the store); and the pure layers import only what lies below them. Imports
// are read with the TypeScript compiler's own pre-processor, dynamic imports
// and `import type` included: a type-only cycle is a cycle of ideas too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { filesUnder } from '../../support/files';

const SRC = path.resolve(__dirname, '../../../src');
const WEBVIEW = path.resolve(__dirname, '../../../webview');

function sourceFiles(dir: string): string[] {
  return filesUnder(dir)
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** The file an import specifier names, or undefined for packages. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every src (and webview) file → the src/webview files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sourceFiles(SRC), ...sourceFiles(WEBVIEW)]) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((f): f is string => f !== undefined && (f.startsWith(SRC) || f.startsWith(WEBVIEW)));
    graph.set(file, targets);
  }
  return graph;
}

/** src/views/x.ts → "views"; src/cli.ts → "cli.ts"; webview/x.ts → "webview". */
function topNode(file: string): string {
  if (file.startsWith(WEBVIEW)) return 'webview';
  return path.relative(SRC, file).split(path.sep)[0];
}

/** What each pure layer may import (besides itself); everything else above them may import them. */
const ALLOWED: Record<string, string[]> = {
  model: [],
  common: ['model'],
  backends: ['model', 'common'],
  capture: ['backends', 'model', 'common'],
  'protocol.ts': ['model'],
  webview: ['protocol.ts', 'model'],
};

/**
 * Inside src/backends: a folder is a node; the root files (types, errors,
 * config) are "backends/"; registry.ts, the one place that knows every type,
 * is its own node above them all.
 */
function backendNode(file: string): string | undefined {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] !== 'backends') return undefined;
  if (parts.length === 2) return parts[1] === 'registry.ts' ? 'backends/registry.ts' : 'backends/';
  return `backends/${parts[1]}`;
}

/** One cycle of the folder graph as "a → b → a", or undefined when there is none. */
function findCycle(edges: Map<string, Set<string>>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    // Iterative depth-first search: the path is the stack of open nodes.
    const pathStack: string[] = [start];
    const iters: Iterator<string>[] = [[...(edges.get(start) ?? [])].sort()[Symbol.iterator]()];
    state.set(start, 'open');
    while (pathStack.length) {
      const next = iters[iters.length - 1].next();
      if (next.done) {
        state.set(pathStack.pop()!, 'done');
        iters.pop();
        continue;
      }
      const n = next.value;
      if (state.get(n) === 'open') return [...pathStack.slice(pathStack.indexOf(n)), n].join(' → ');
      if (state.has(n)) continue;
      state.set(n, 'open');
      pathStack.push(n);
      iters.push([...(edges.get(n) ?? [])].sort()[Symbol.iterator]());
    }
  }
  return undefined;
}

/** The folder graph, with the file-level imports behind each edge (for the failure message). */
function folderEdges(graph: Map<string, string[]>, node: (f: string) => string | undefined): { edges: Map<string, Set<string>>; why: Map<string, string> } {
  const edges = new Map<string, Set<string>>();
  const why = new Map<string, string>();
  for (const [from, targets] of graph) {
    const a = node(from);
    if (a === undefined) continue;
    for (const to of targets) {
      const b = node(to);
      if (b === undefined || a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
      if (!why.has(`${a}|${b}`)) why.set(`${a}|${b}`, `${path.relative(SRC, from)} imports ${path.relative(SRC, to)}`);
    }
  }
  return { edges, why };
}

function explain(cycle: string, why: Map<string, string>): string {
  const nodes = cycle.split(' → ');
  return nodes.slice(1).map((b, i) => `  ${why.get(`${nodes[i]}|${b}`)}`).join('\n');
}

describe('layers: one-way imports', () => {
  const graph = importGraph();

  it('reads the imports of every source file', () => {
    assert.ok(graph.size > 50, `only ${graph.size} files under src/`);
    assert.ok([...graph.values()].some((t) => t.length > 0));
  });

  it('keeps the pure layers below: model ← common ← backends ← capture; webview sees only protocol and model', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      const layer = topNode(from);
      const allowed = ALLOWED[layer];
      if (!allowed) continue;
      for (const to of targets) {
        const target = topNode(to);
        if (target !== layer && !allowed.includes(target)) wrong.push(`${path.relative(path.dirname(SRC), from)} imports ${path.relative(path.dirname(SRC), to)}`);
      }
    }
    assert.deepEqual(wrong, [], `imports against the layering rule:\n  ${wrong.join('\n  ')}`);
  });

  it('has no cycle between the top-level folders of src/', () => {
    const { edges, why } = folderEdges(graph, topNode);
    const cycle = findCycle(edges);
    assert.equal(cycle, undefined, cycle && `import cycle ${cycle}:\n${explain(cycle, why)}`);
  });

  it('has no cycle between the folders of src/backends/', () => {
    const { edges, why } = folderEdges(graph, backendNode);
    const cycle = findCycle(edges);
    assert.equal(cycle, undefined, cycle && `import cycle ${cycle}:\n${explain(cycle, why)}`);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const edges = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    assert.equal(findCycle(edges), 'a → b → c → a');
    assert.equal(findCycle(new Map([['a', new Set(['b'])], ['b', new Set<string>()]])), undefined);
  });
});
