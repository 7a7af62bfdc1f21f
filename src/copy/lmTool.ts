// A language-model tool for Copilot Chat: the selected span (or its session)
// in the Copy as Markdown projection, secrets masked. Registered only when the
// running VS Code has `vscode.lm.registerTool`; elsewhere it is a no-op.
import * as vscode from 'vscode';
import type { NavigationDeps } from '../navigation/context';
import { markdownOf } from './commands';

export const LM_TOOL_NAME = 'spanInspector_selectedSpan';

interface ToolInput {
  scope?: 'span' | 'session';
}

export function registerLmTool(deps: NavigationDeps): vscode.Disposable[] {
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (typeof lm?.registerTool !== 'function' || typeof vscode.LanguageModelToolResult !== 'function') {
    deps.log.info('Language-model tools are not available in this VS Code; the Span Inspector tool is not registered.');
    return [];
  }
  const tool: vscode.LanguageModelTool<ToolInput> = {
    prepareInvocation: (options) => ({
      invocationMessage: options.input?.scope === 'session' ? vscode.l10n.t('Reading the selected Span Inspector session') : vscode.l10n.t('Reading the selected Span Inspector span'),
    }),
    invoke: async (options, token) => {
      const scope = options.input?.scope === 'session' ? 'session' : 'span';
      let text = await markdownOf(deps, undefined, scope, token);
      if (text === undefined && scope === 'span') text = await markdownOf(deps, undefined, 'session', token);
      const answer = text ?? 'No span or session is selected in Span Inspector. Ask the user to open a span in the Span Inspector panel or select one in the Sessions view.';
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer)]);
    },
  };
  return [lm.registerTool(LM_TOOL_NAME, tool)];
}
