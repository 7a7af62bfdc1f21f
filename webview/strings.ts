// The panel's UI strings: the host localizes them (src/panel/panelStrings.ts) and
// sends them in `init`; the UI is built only after that message.
import type { PanelStrings, TableStrings } from '../src/protocol';

type Strings = PanelStrings & TableStrings;
let table: Partial<Strings> | undefined;

/** The panel's or the sessions table's strings (each webview gets its own). */
export function setStrings(strings: PanelStrings | TableStrings): void {
  table = strings;
}

/** The localized string, `{0}`, `{1}`… replaced by `args` (the key itself before `init`). */
export function t(key: keyof Strings, ...args: (string | number)[]): string {
  const s = table?.[key] ?? key;
  return args.length ? s.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m)) : s;
}
