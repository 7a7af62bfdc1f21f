// Worker-thread side of PropertyRunner: runs one named property per message and
// reports success or the failure text (fast-check's counterexample), clipped.
import { parentPort } from 'node:worker_threads';

type Properties = Record<string, () => void | Promise<void>>;
const modules = new Map<string, Properties>();

parentPort!.on('message', async (msg: { id: number; module: string; name: string }) => {
  const started = Date.now();
  try {
    let props = modules.get(msg.module);
    if (!props) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      props = (require(msg.module) as { properties: Properties }).properties;
      modules.set(msg.module, props);
    }
    const fn = props[msg.name];
    if (!fn) throw new Error(`no property "${msg.name}" in ${msg.module}`);
    await fn();
    parentPort!.postMessage({ id: msg.id, ok: true, ms: Date.now() - started });
  } catch (err) {
    // fast-check puts the failing assertion in `cause`: show it beside the counterexample.
    // The failing assertion first (fast-check puts it in `cause`), then the counterexample, clipped.
    const cause = err instanceof Error && err.cause instanceof Error ? `${err.cause.message}\n` : '';
    const text = err instanceof Error ? err.message : String(err);
    const clipped = text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
    parentPort!.postMessage({ id: msg.id, ok: false, ms: Date.now() - started, error: `${cause}${clipped}` });
  }
});
