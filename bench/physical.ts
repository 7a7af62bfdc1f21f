// The physical floor for one file (issue #19): CPU time to read its bytes,
// decode them as UTF-8, JSON.parse the text, and split it into elements the
// way the streamed file backend does (src/model/jsonStream.ts), without
// parsing them. The export file is one JSON document, so it stands for all.
//   node --expose-gc --import tsx bench/physical.ts FILE.json
// Prints `RESULT {json}`.
import * as fs from 'node:fs';
import { JsonArraySplitter } from '../src/model/jsonStream';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function main(): void {
  const file = process.argv[2];
  let t = cpu();
  const bytes = fs.readFileSync(file);
  const readMs = cpu() - t;
  t = cpu();
  let text: string | undefined = bytes.toString('utf8');
  const decodeMs = cpu() - t;
  t = cpu();
  JSON.parse(text);
  const parseMs = cpu() - t;
  text = undefined;
  gc();
  t = cpu();
  const splitter = new JsonArraySplitter('spans');
  let elements = 0;
  for (let i = 0; i < bytes.length; i += 8 << 20) elements += splitter.push(bytes.subarray(i, i + (8 << 20))).length;
  const splitMs = cpu() - t;
  process.stdout.write(`RESULT ${JSON.stringify({ bytes: bytes.length, readMs, decodeMs, parseMs, splitMs, elements })}\n`);
}

main();
