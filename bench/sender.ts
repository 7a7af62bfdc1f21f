// Posts request bodies (one JSON text per line of FILE) to URL one after the
// other over a keep-alive connection, as an exporter's batch processor does.
// Prints {firstStart, lastEnd, requests} (epoch ms) as its last stdout line.
//   node --import tsx bench/sender.ts FILE URL
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as readline from 'node:readline';

async function main(): Promise<void> {
  const [file, url] = process.argv.slice(2);
  // Line by line: a 1,000,000-span file is past the longest string V8 can hold.
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
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
  let firstStart: number | undefined;
  let requests = 0;
  for await (const line of lines) {
    if (!line.length) continue;
    firstStart ??= Date.now();
    await post(line);
    requests++;
  }
  const lastEnd = Date.now();
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ firstStart: firstStart ?? lastEnd, lastEnd, requests })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
