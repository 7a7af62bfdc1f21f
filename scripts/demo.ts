// `npm run demo`: builds the extension and opens it in a real VS Code on the
// embedded demo (see demoEnvironment.ts). Uses the desktop `code` when it is
// on PATH, else code-server in the browser. Ctrl+C stops everything.
//   DEMO_PORT=8080 (code-server port), DEMO_NO_DESKTOP=1 (force code-server)
//   --stores: also a real Jaeger and Phoenix (demoStores.ts)
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
// @ts-expect-error plain ESM helper shared with the test harness
import { startCodeServer } from '../test/host/codeServer.mjs';
import { ROOT, prepareDemo } from './demoEnvironment';
import { addToSettings, startDemoStores, type DemoStores } from './demoStores';

async function main(): Promise<void> {
  const build = spawnSync('node', ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
  const demo = await prepareDemo(path.join(ROOT, '.vscode-test', 'demo-workspace'), {
    qconnectPort: Number(process.env.DEMO_QCONNECT_PORT ?? 0),
    sgpPort: Number(process.env.DEMO_SGP_PORT ?? 0),
  });
  console.log(`Q Connect emulator: ${demo.qconnect.url}   SGP emulator: ${demo.sgp.url}   capture: 127.0.0.1:${demo.capturePort}`);
  let stores: DemoStores | undefined;
  if (process.argv.includes('--stores')) {
    console.log('Starting Jaeger and Phoenix (--stores)…');
    stores = await startDemoStores();
    addToSettings(demo.workspace, demo.settings, stores.backends);
  }

  const hasDesktop = !process.env.DEMO_NO_DESKTOP && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
  let stop: () => Promise<void>;
  if (hasDesktop) {
    const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, demo.workspace], { env: { ...process.env, ...demo.env }, stdio: 'inherit' });
    console.log('Opened the demo in VS Code (desktop). Keep this terminal open: it runs the emulators.');
    stop = async () => {
      child.kill();
    };
  } else {
    const server = await startCodeServer({ workspace: demo.workspace, env: demo.env, port: Number(process.env.DEMO_PORT ?? 8080), dataDir: path.join(ROOT, '.vscode-test', 'demo-profile') });
    console.log(`\nSpan Inspector demo is running in VS Code (code-server):\n\n    ${server.url}\n\nOpen it in a browser, click the Span Inspector icon in the activity bar. Ctrl+C to stop.`);
    stop = () => server.stop();
  }
  // Feed live capture once the extension's receiver listens (it starts with the window).
  demo.postCaptureSamples(10 * 60_000).then(
    () => console.log('Posted sample OpenAI Agents SDK and OTLP traces to the live capture receiver.'),
    (err: Error) => console.log(`Live capture samples not posted: ${err.message}`),
  );
  const shutdown = async () => {
    await stop();
    await stores?.close();
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
