// Aligns two projections span by span (by alignment path: kind, name and
// position among same-named siblings under the aligned parent; never by id)
// and renders the two documents VS Code's diff editor shows side by side.
// Both documents carry the same summary, so only real differences light up.
// Pure: no `vscode`.
import type { Span } from '../model/types';
import { DIFF_OPTIONS, projectSpans, totalsLine, totalsOf, type ProjectedSpan } from './projection';
import type { NormalizeOptions } from './normalize';

export interface Alignment {
  /** Index pairs in A's order; -1 marks a span only on the other side. */
  pairs: [number, number][];
  same: number;
  changed: number;
  onlyA: number;
  onlyB: number;
}

/** What "same" means: everything but the clock. */
function body(p: ProjectedSpan): string {
  return `${p.facts}\n${p.json}`;
}

export function alignProjections(a: readonly ProjectedSpan[], b: readonly ProjectedSpan[]): Alignment {
  const inA = new Set(a.map((p) => p.path));
  const inB = new Map<string, number>();
  b.forEach((p, j) => inB.set(p.path, j));
  const matchedB = new Set<number>();
  const result: Alignment = { pairs: [], same: 0, changed: 0, onlyA: 0, onlyB: 0 };
  let nextB = 0;
  const flushB = (upTo: number) => {
    for (; nextB < upTo; nextB++) {
      if (!matchedB.has(nextB) && !inA.has(b[nextB].path)) {
        result.pairs.push([-1, nextB]);
        result.onlyB++;
      }
    }
  };
  a.forEach((p, i) => {
    const j = inB.get(p.path);
    if (j === undefined) {
      result.pairs.push([i, -1]);
      result.onlyA++;
      return;
    }
    flushB(j);
    matchedB.add(j);
    result.pairs.push([i, j]);
    if (body(p) === body(b[j])) result.same++;
    else result.changed++;
  });
  flushB(b.length);
  return result;
}

export interface CompareSide {
  label: string;
  spans: readonly Span[];
}

export interface CompareDocuments {
  left: string;
  right: string;
  alignment: Alignment;
}

const MAX_LISTED = 20;

function summary(a: CompareSide, b: CompareSide, pa: ProjectedSpan[], pb: ProjectedSpan[], al: Alignment): string[] {
  const lines = [
    '# Span Inspector comparison',
    '',
    '_Read-only projection: ids elided, timings rounded to one significant digit, long payloads cut._',
    '',
    '## Summary',
    '',
    `- **A**: ${a.label}`,
    `  - ${totalsLine(totalsOf(a.spans))}`,
    `- **B**: ${b.label}`,
    `  - ${totalsLine(totalsOf(b.spans))}`,
    `- Aligned by kind, name and position: ${al.same} same, ${al.changed} differ, ${al.onlyA} only in A, ${al.onlyB} only in B`,
  ];
  const listed: string[] = [];
  for (const [i, j] of al.pairs) {
    if (listed.length >= MAX_LISTED) break;
    if (i >= 0 && j >= 0 && body(pa[i]) !== body(pb[j])) listed.push(`  - differs: ${pa[i].title.replace(/^(· )+/, '')}`);
    else if (j < 0) listed.push(`  - only in A: ${pa[i].title.replace(/^(· )+/, '')}`);
    else if (i < 0) listed.push(`  - only in B: ${pb[j].title.replace(/^(· )+/, '')}`);
  }
  const total = al.changed + al.onlyA + al.onlyB;
  if (listed.length) lines.push(...listed);
  if (total > listed.length) lines.push(`  - … and ${total - listed.length} more`);
  lines.push('', '## Spans', '');
  return lines;
}

function renderSpans(list: ProjectedSpan[], only: ReadonlySet<number>, side: 'A' | 'B', out: string[]): void {
  list.forEach((p, i) => {
    out.push(`### ${p.title}${only.has(i) ? ` (only in ${side})` : ''}`, '', p.facts);
    if (p.timing) out.push(`duration ${p.timing}`);
    out.push('');
    if (p.json) out.push('```json', p.json, '```', '');
  });
}

/** The two documents of a comparison. */
export function compareDocuments(a: CompareSide, b: CompareSide, o: NormalizeOptions = DIFF_OPTIONS): CompareDocuments {
  const pa = projectSpans(a.spans, o);
  const pb = projectSpans(b.spans, o);
  const alignment = alignProjections(pa, pb);
  const head = summary(a, b, pa, pb, alignment);
  const onlyA = new Set(alignment.pairs.filter(([, j]) => j < 0).map(([i]) => i));
  const onlyB = new Set(alignment.pairs.filter(([i]) => i < 0).map(([, j]) => j));
  const left = [...head];
  renderSpans(pa, onlyA, 'A', left);
  const right = [...head];
  renderSpans(pb, onlyB, 'B', right);
  return { left: left.join('\n'), right: right.join('\n'), alignment };
}
