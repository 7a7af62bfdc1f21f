// Counts and dates as the tree and pickers show them: plurals through l10n,
// dates in the user's locale with the year (or "today").
import * as vscode from 'vscode';
import { formatCount } from '../model/format';

export function spansLabel(n: number): string {
  return n === 1 ? vscode.l10n.t('1 span') : vscode.l10n.t('{0} spans', formatCount(n));
}

export function errorsLabel(n: number): string {
  return n === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', formatCount(n));
}

/** "Today 14:03", else "4 Dec 2026, 14:03" in the UI language's format. */
export function formatWhen(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const locale = vscode.env.language || undefined;
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (new Date(now).toDateString() === d.toDateString()) return vscode.l10n.t('Today {0}', time);
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
