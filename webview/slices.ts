// Long text rendered slice by slice, one slice per task, with a progress line
// and Cancel: unfolding a 5 MB answer or a 2 MB argument must be many short
// tasks, not one that freezes the panel. Used for folded message text
// (parts.ts) and long string values (jsonView.ts).
import { h, icon } from './dom';
import { sliceEnd } from './renderable';
import { t } from './strings';

/** Characters rendered per slice: Markdown parsing costs more per character than text nodes. */
const SLICE = { markdown: 64 * 1024, plain: 256 * 1024 };

/**
 * Renders long text slice by slice, one slice per task, so the panel stays
 * responsive (a 5 MB answer is many short tasks, not one long one). A progress
 * line offers Cancel: what was rendered stays, and "Show the rest" continues.
 */
export function renderInSlices(box: HTMLElement, text: string, from: number, render: (t: string) => HTMLElement, markdown: boolean): void {
  const max = markdown ? SLICE.markdown : SLICE.plain;
  const label = h('span', {});
  const cancel = h('button', { class: 'linkish', testid: 'render-cancel' }, t('cancel'));
  const progress = h('div', { class: 'muted small render-progress', testid: 'render-progress', role: 'status' }, icon('loading'), ' ', label, ' ', cancel);
  let at = from;
  let timer = 0;
  const update = () => (label.textContent = t('rendering', Math.floor((at / text.length) * 100), text.length.toLocaleString()));
  // Plain text continues in one element (a slice boundary must not break a line); Markdown slices end at paragraphs.
  let into: HTMLElement | undefined;
  const step = () => {
    const end = sliceEnd(text, at, max, markdown);
    const el = render(text.slice(at, end));
    if (!markdown && into) into.append(...el.childNodes);
    else box.insertBefore((into = el), progress);
    at = end;
    if (at >= text.length) {
      progress.remove();
      return;
    }
    update();
    timer = window.setTimeout(step, 0);
  };
  cancel.addEventListener('click', () => {
    clearTimeout(timer);
    progress.remove();
    const rest = h('button', { class: 'linkish', testid: 'show-more' }, t('showRest', (text.length - at).toLocaleString()));
    rest.addEventListener('click', () => {
      rest.remove();
      renderInSlices(box, text, at, render, markdown);
    });
    box.appendChild(rest);
  });
  update();
  box.appendChild(progress);
  step();
}

