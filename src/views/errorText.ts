// Makes a BackendError message fit a tree row: drop the "<Service> backend
// "id":" prefix the row's parent already shows, collapse repeated prefixes,
// and split it into the cause (the row) and the rest (what to do, a second
// row and the tooltip). Pure: no `vscode`.

const PREFIXES = [
  // `Amazon Q Connect backend "qc-1":`, `SGP backend "x"`, `Backend "x":`
  /^[\w .()/-]{0,40}?\bbackend "[^"]*"\s*:?\s*/i,
  /^Backend entry(?: #\d+)?:\s*/i,
];

/** Message without the backend prefixes, with `a: a: b` collapsed to `a: b`. */
export function stripPrefixes(message: string): string {
  let m = message.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of PREFIXES) {
      const next = m.replace(re, '');
      if (next !== m && next.length) {
        m = next;
        changed = true;
      }
    }
  }
  const parts = m.split(': ');
  const kept: string[] = [];
  for (const p of parts) {
    const prev = kept[kept.length - 1];
    // "network error: Network error (ECONNREFUSED)": the shorter one repeats the longer one's start.
    if (prev !== undefined && (p.toLowerCase().startsWith(prev.toLowerCase()) || prev.toLowerCase() === p.toLowerCase())) {
      kept[kept.length - 1] = p;
      continue;
    }
    kept.push(p);
  }
  m = kept.join(': ');
  return m.charAt(0).toUpperCase() + m.slice(1);
}

export interface ErrorSummary {
  /** The cause, short enough for a 440 px sidebar row. */
  cause: string;
  /** Details and the next step, when the message has more. */
  rest: string;
}

export function summarizeError(message: string, max = 70): ErrorSummary {
  const m = stripPrefixes(message);
  const cut = [m.indexOf(' — '), m.search(/\.\s/), m.indexOf('; ')].filter((i) => i > 0).sort((a, b) => a - b)[0];
  let cause = cut !== undefined ? m.slice(0, cut) : m.replace(/\.$/, '');
  let rest = cut !== undefined ? m.slice(cut).replace(/^(\s*—\s*|\.\s+|;\s+)/, '') : '';
  if (cause.length > max) {
    const space = cause.lastIndexOf(' ', max - 1);
    const at = space > max / 2 ? space : max - 1;
    rest = `…${cause.slice(at).trimStart()}${rest ? ` ${rest}` : ''}`;
    cause = `${cause.slice(0, at)}…`;
  }
  return { cause, rest: rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : '' };
}
