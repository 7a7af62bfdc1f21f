// The one polling wait for tests: `check` is called until it returns a value
// other than undefined/null/false (a throw counts as "not yet"); after `timeoutMs`
// it fails naming `what` and the last error.

export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}.`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
