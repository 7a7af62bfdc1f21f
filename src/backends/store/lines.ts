// Line splitting shared by the file-tail source and the capture log.

/** Every line of `text` (blank ones too, so callers can count line numbers), without building an array. */
export function* splitLines(text: string): Generator<string> {
  let from = 0;
  while (from < text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    yield text.slice(from, nl);
    from = nl + 1;
  }
}
