// Codicons and theme colours for kinds and statuses (tree and quick picks).
import * as vscode from 'vscode';
import type { SpanKind, SpanStatus } from '../model/types';

const KIND_ICONS: Record<SpanKind, string> = {
  agent: 'hubot',
  llm: 'sparkle',
  tool: 'tools',
  guardrail: 'shield',
  handoff: 'arrow-swap',
  retrieval: 'search',
  chain: 'link',
  speech: 'unmute',
  transcription: 'mic',
  custom: 'symbol-event',
};

export function spanIcon(kind: SpanKind, status: SpanStatus): vscode.ThemeIcon {
  switch (status) {
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'timeout':
      return new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon(KIND_ICONS[kind] ?? 'symbol-event', kind === 'llm' ? new vscode.ThemeColor('charts.purple') : kind === 'tool' ? new vscode.ThemeColor('charts.blue') : kind === 'agent' ? new vscode.ThemeColor('charts.green') : undefined);
  }
}

export function sessionIcon(status: SpanStatus | undefined): vscode.ThemeIcon {
  if (status === 'error') {
    return new vscode.ThemeIcon('comment-discussion', new vscode.ThemeColor('testing.iconFailed'));
  }
  return new vscode.ThemeIcon('comment-discussion');
}

export const BACKEND_ICONS: Record<string, string> = {
  qconnect: 'cloud',
  sgp: 'globe',
  agno: 'database',
  openaiAgents: 'file-code',
  otlp: 'radio-tower',
  file: 'file',
  capture: 'record',
};
