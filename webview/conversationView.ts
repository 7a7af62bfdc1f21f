// The session view's transcript: every LLM call in order as one conversation,
// history repeated by later calls already removed on the host. Pages of turns
// are requested as the user asks for more. Turns are drawn a few at a time, one
// stretch per task: a page of 100 took ~0.27 s in one task, a stalled frame
// while the user scrolls the waterfall above.
import type { ConversationTurn } from '../src/protocol';
import { LIMITS } from '../src/protocol';
import { append, badge, h, icon, post } from './dom';
import { messageList, newContext, parts, type RenderContext } from './parts';
import { formatTime, kindIcon, pairTools, slot, statusTone } from './renderable';
import { t as str } from './strings';

/** Longest stretch of drawing turns in one task (a frame is 16.7 ms; the waterfall needs some of it). */
const DRAW_SLICE_MS = 8;

/** A turn as JSON, to compare pages; one that has none (a bigint from an exact integer) matches nothing. */
function signature(t: ConversationTurn): string | undefined {
  try {
    return JSON.stringify(t);
  } catch {
    return undefined;
  }
}

export class ConversationView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly footer: HTMLElement;
  private turns: ConversationTurn[] = [];
  private total = 0;
  private complete = false;
  private ctx: RenderContext | undefined;
  private requested = false;
  /** Each drawn turn as JSON: a first page sent again (loading ended) keeps the turns it repeats. */
  private drawn: (string | undefined)[] = [];
  /** Turns waiting to be drawn, in order. */
  private queue: ConversationTurn[] = [];
  private timer = 0;

  constructor(
    private readonly options: { markdown(): boolean; query(): string; openSpan(key: string): void },
  ) {
    this.list = h('div', { class: 'turns', testid: 'turns' });
    this.footer = h('div', { class: 'turns-footer' });
    this.el = h(
      'div',
      { class: 'session-transcript', testid: 'session-transcript' },
      h('h3', { class: 'section-title' }, icon('comment-discussion'), ' Conversation'),
      this.list,
      this.footer,
    );
  }

  /** Asks the host for the first page (again): on opening, and when loading finishes. */
  reload(): void {
    this.requested = true;
    post({ type: 'requestConversation', offset: 0, limit: LIMITS.conversationPage });
  }

  get isComplete(): boolean {
    return this.complete;
  }

  get hasRequested(): boolean {
    return this.requested;
  }

  onPage(offset: number, turns: ConversationTurn[], total: number, complete: boolean): void {
    if (offset === 0) {
      // Keep what is drawn as long as the new page repeats it turn for turn.
      let same = 0;
      while (same < turns.length && same < this.drawn.length && this.drawn[same] !== undefined && this.drawn[same] === signature(turns[same])) same++;
      this.turns = turns.slice(0, same);
      this.drawn.length = same;
      while (this.list.childElementCount > same) this.list.lastElementChild?.remove();
      this.queue = [];
      turns = turns.slice(same);
    } else if (offset !== this.turns.length) {
      return; // a stale page (the conversation was reloaded meanwhile)
    }
    this.turns.push(...turns);
    this.total = total;
    this.complete = complete;
    this.renderTurns(turns);
    this.renderFooter();
  }

  /** Re-renders what is loaded (Markdown toggled, search changed). */
  rerender(): void {
    this.list.replaceChildren();
    this.drawn = [];
    this.queue = [];
    this.ctx = undefined;
    this.renderTurns(this.turns);
    this.renderFooter();
  }

  private renderTurns(turns: ConversationTurn[]): void {
    // Pairs span all loaded turns: a call in one turn is usually answered in the next.
    const all = this.turns.flatMap((t) => [...t.input, ...t.output]);
    const pairs = pairTools(all, ...this.turns.map((t) => t.system));
    // Results held by tool spans (OTLP execute_tool) answer calls no message answers.
    for (const t of this.turns) for (const r of t.related ?? []) if (!pairs.results.has(r.id)) pairs.results.set(r.id, r);
    const ctx = this.ctx ?? newContext(this.options.markdown(), this.options.query(), pairs);
    ctx.pairs = pairs;
    this.ctx = ctx;
    this.queue.push(...turns);
    clearTimeout(this.timer);
    this.drawQueued();
  }

  /** Draws queued turns for up to DRAW_SLICE_MS, then lets the panel have a turn. */
  private drawQueued(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const until = performance.now() + DRAW_SLICE_MS;
    const frag = document.createDocumentFragment();
    let t: ConversationTurn | undefined;
    while ((t = this.queue.shift())) {
      frag.appendChild(this.turn(t, ctx));
      this.drawn.push(signature(t));
      if (performance.now() > until) break;
    }
    this.list.appendChild(frag);
    // Busy while turns are still to come (screen readers, and tests waiting for the whole page).
    this.list.toggleAttribute('aria-busy', this.queue.length > 0);
    if (this.queue.length) this.timer = window.setTimeout(() => this.drawQueued(), 0);
  }

  private turn(t: ConversationTurn, ctx: RenderContext): HTMLElement {
    const open = h('a', { class: 'link turn-name', role: 'link', tabIndex: 0, title: str('openThisSpan') }, slot(t.name));
    const go = () => this.options.openSpan(t.key);
    open.addEventListener('click', go);
    open.addEventListener('keydown', (e) => e.key === 'Enter' && go());
    const el = h(
      'div',
      { class: 'turn', testid: 'turn', data: { key: t.key } },
      h(
        'div',
        { class: 'turn-head' },
        h('span', { class: `kind-icon kind-${t.kind}` }, icon(kindIcon(t.kind))),
        open,
        t.agent ? h('span', { class: 'muted', testid: 'turn-agent' }, icon('hubot'), ` ${slot(t.agent)}`) : undefined,
        // "chat gpt-4o" already names its model.
        t.model && !t.name.includes(t.model) ? h('span', { class: 'muted mono', testid: 'turn-model' }, slot(t.model)) : undefined,
        t.status !== 'ok' && t.status !== 'unset' ? badge(t.status, statusTone(t.status)) : undefined,
        h('span', { class: 'muted turn-time' }, formatTime(t.startTime)),
      ),
    );
    if (t.system?.length) {
      const d = h('details', { class: 'turn-system', testid: 'system' }, h('summary', {}, icon('settings-gear'), ` ${str('systemInstructions')}`));
      append(d, ...parts(t.system, ctx));
      el.appendChild(d);
    }
    if (t.repeated) {
      el.appendChild(h('div', { class: 'muted small repeated-note', testid: 'repeated-note' }, icon('history'), ` ${str(t.repeated === 1 ? 'repeatedMessage' : 'repeatedMessages', t.repeated)}`));
    }
    append(el, ...messageList(t.input, ctx, 'input'), ...messageList(t.output, ctx, 'output'));
    return el;
  }

  private renderFooter(): void {
    this.footer.replaceChildren();
    if (!this.total) {
      this.footer.appendChild(
        h('div', { class: 'empty', testid: 'conversation-empty' }, this.complete ? str('noMessages') : str('noMessagesYet')),
      );
    }
    if (this.turns.length < this.total) {
      const more = h('vscode-button', { testid: 'conversation-more', attrs: { appearance: 'secondary' } }, str('moreCalls', this.total - this.turns.length));
      more.addEventListener('click', () => post({ type: 'requestConversation', offset: this.turns.length, limit: LIMITS.conversationPage }));
      this.footer.appendChild(more);
    }
    if (!this.complete) {
      this.footer.appendChild(h('div', { class: 'muted small', testid: 'conversation-loading' }, icon('loading'), ` ${str('conversationLoading')}`));
    }
  }
}
