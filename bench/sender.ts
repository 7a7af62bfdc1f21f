// Posts request bodies (one JSON text per line of FILE) to URL one after the
// other over a keep-alive connection, as an exporter's batch processor does.
// Prints {firstStart, lastEnd, requests} (epoch ms) as its last stdout line.
//   node --import tsx bench/sender.ts FILE URL
import * as fs from 'node:fs';
import * as http from 'node:http';

async function main(): Promise<void> {
  const [file, url] = process.argv.slice(2);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const firstStart = Date.now();
  for (const line of lines) await post(line);
  const lastEnd = Date.now();
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ firstStart, lastEnd, requests: lines.length })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
