// Read-only comparison documents for the diff editor. The text is computed
// when the comparison is asked for and kept here (the last MAX of them), so
// the editor never recomputes a 10,000-span projection on every read.
//
// URI: span-inspector-compare:/<n>/<A|B> <label>.md
import * as vscode from 'vscode';

export const COMPARE_SCHEME = 'span-inspector-compare';
const MAX = 20;

export class CompareDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;

  /** Stores the two texts and returns their URIs. */
  add(left: { label: string; text: string }, right: { label: string; text: string }): [vscode.Uri, vscode.Uri] {
    const n = this.next++;
    const uri = (side: string, label: string) =>
      vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${n}/${side} ${label.replace(/[\\/:*?"<>|\s]+/g, ' ').trim().slice(0, 60) || 'session'}.md` });
    const a = uri('A', left.label);
    const b = uri('B', right.label);
    this.texts.set(a.toString(), left.text);
    this.texts.set(b.toString(), right.text);
    while (this.texts.size > MAX * 2) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    return [a, b];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('This comparison is no longer available: run Span Inspector: Compare Sessions… again.');
  }

  dispose(): void {
    this.texts.clear();
  }
}
