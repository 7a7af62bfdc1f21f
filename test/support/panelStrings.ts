// The webview's UI strings come from the host in `init` (webview/strings.ts);
// tests that import webview modules directly get the English ones this way.
import { panelStrings } from '../../src/panel/panelStrings';
import { setStrings } from '../../webview/strings';

/** Sets the webview's strings to the English text of src/panel/panelStrings.ts (what an untranslated host sends). */
export function useEnglishPanelStrings(): void {
  setStrings(panelStrings({ t: (s) => s }));
}
