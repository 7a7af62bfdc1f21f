// Line splitting shared by the file-tail source and the capture log, and the
// one way to read a stored line again (the Raw tab of a span whose record is
// not held in memory).
import * as fs from 'node:fs';
import { parseJsonExact } from '../../model/json';
import type { BodyRef } from './captureStore';

/** Every line of `bytes` as its byte range (blank ones too, so callers can count line numbers), without building an array. */
export function* lineRanges(bytes: Buffer): Generator<{ start: number; end: number }> {
  let from = 0;
  while (from < bytes.length) {
    let nl = bytes.indexOf(0x0a, from);
    if (nl < 0) nl = bytes.length;
    yield { start: from, end: nl };
    from = nl + 1;
  }
}

/** The JSON value on bytes [offset, offset + length) of a file, read when asked for. */
export class FileLine implements BodyRef {
  constructor(private readonly file: string, private readonly offset: number, private readonly length: number) {}

  async read(): Promise<unknown> {
    const handle = await fs.promises.open(this.file, 'r');
    try {
      const buf = await readRange(handle, this.offset, this.length);
      if (!buf) throw new Error(`${this.file} is shorter than when it was read`);
      return parseJsonExact(buf.toString('utf8'));
    } finally {
      await handle.close();
    }
  }
}

/** Bytes [offset, offset + length) of an open file; undefined when the file is shorter now. */
export async function readRange(handle: fs.promises.FileHandle, offset: number, length: number): Promise<Buffer | undefined> {
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buf, 0, length, offset);
  return bytesRead < length ? undefined : buf;
}
