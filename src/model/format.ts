// Display helpers shared by the tree, the panel and the CLI.
import type { Span, Usage } from './types';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return '';
  }
  if (ms < 0 || ms > 315_576_000_000) {
    // Negative or over ten years: a broken clock, shown as the number it is.
    return `${String(ms)} ms`;
  }
  if (ms < 1) {
    return `${Math.round(ms * 1000)}µs`;
  }
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  }
  const m = Math.floor(ms / 60_000);
  if (m < 60) {
    return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
  }
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) {
    return '';
  }
  if (Math.abs(n) < 1000) {
    return String(n);
  }
  if (Math.abs(n) < 1_000_000) {
    return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  }
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function totalTokens(usage: Usage | undefined): number | undefined {
  if (!usage) {
    return undefined;
  }
  if (typeof usage.total === 'number') {
    return usage.total;
  }
  if (typeof usage.input === 'number' || typeof usage.output === 'number') {
    return (usage.input ?? 0) + (usage.output ?? 0);
  }
  return undefined;
}

export function formatTimestamp(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return '';
  }
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function spanDuration(span: Span): number | undefined {
  if (typeof span.durationMs === 'number') {
    return span.durationMs;
  }
  return span.endTime !== undefined ? span.endTime - span.startTime : undefined;
}

/** A one-line summary for descriptions: "1.20s · 1.5k tok". */
export function spanSummary(span: Span): string {
  const parts: string[] = [];
  const d = formatDuration(spanDuration(span));
  if (d) {
    parts.push(d);
  }
  const t = totalTokens(span.usage);
  if (t !== undefined) {
    parts.push(`${formatCount(t)} tok`);
  }
  return parts.join(' · ');
}

/** Truncates untrusted text for one-line UI slots (labels, descriptions, tooltips). */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
