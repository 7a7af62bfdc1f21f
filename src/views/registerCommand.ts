// The one way commands are registered: a failure is logged to the
// LogOutputChannel and shown with its next steps, instead of an unhandled
// rejection the user never sees.
import * as vscode from 'vscode';
import { BackendError } from '../backends/errors';
import type { CommandId } from '../common/commands';
import { showBackendError } from './nextSteps';

/**
 * Registers `run` under `id`. A BackendError is logged by its message (it carries
 * its own next steps); anything else with its stack. `title` names the command
 * in the message ("Export Session failed: …").
 */
export function registerCommand<A extends unknown[]>(log: vscode.LogOutputChannel, id: CommandId, title: string, run: (...args: A) => unknown): vscode.Disposable {
  // VS Code passes whatever the caller gave: each command checks its own arguments.
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...(args as A));
    } catch (err) {
      log.error(`${id} failed: ${err instanceof BackendError ? err.message : ((err as Error)?.stack ?? String(err))}`);
      void showBackendError(vscode.l10n.t('{0} failed:', title), err);
      return undefined;
    }
  });
}
