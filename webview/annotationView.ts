// Annotations and evaluation scores a store keeps beside a span (Phoenix):
// one row per annotation with its label, score, who made it and why. All
// values are untrusted text, set through textContent.
import type { Annotation } from '../src/model/types';
import { badge, h } from './dom';
import { t } from './strings';

export function annotationList(list: unknown[]): HTMLElement[] {
  return list.map((a) => annotationRow(a && typeof a === 'object' ? (a as Annotation) : { name: String(a) }));
}

function annotationRow(a: Annotation): HTMLElement {
  const score = typeof a.score === 'number' && Number.isFinite(a.score) ? a.score : undefined;
  return h(
    'div',
    { class: 'annotation', testid: 'annotation', data: { name: String(a.name ?? '') } },
    h(
      'div',
      { class: 'annotation-head' },
      h('span', { class: 'annotation-name', testid: 'annotation-name' }, String(a.name ?? '')),
      typeof a.label === 'string' && a.label ? badge(a.label, 'neutral', 'annotation-label', t('annotationLabel')) : undefined,
      score !== undefined ? h('span', { class: 'mono', testid: 'annotation-score', title: t('annotationScore') }, String(score)) : undefined,
      typeof a.annotatorKind === 'string' ? h('span', { class: 'muted small', title: t('annotator') }, a.annotatorKind) : undefined,
    ),
    typeof a.explanation === 'string' && a.explanation ? h('div', { class: 'annotation-explanation', testid: 'annotation-explanation' }, a.explanation) : undefined,
  );
}
