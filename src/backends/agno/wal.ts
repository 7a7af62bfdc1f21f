// Reads a SQLite database that is in WAL mode without SQLite's shared-memory
// index (sql.js runs on an in-memory file system and cannot open the real
// `-wal` / `-shm`). Committed frames of the `-wal` file are copied over the
// main file's pages, which is what SQLite's own WAL recovery does, so readers
// see the last committed state even before a checkpoint. Format:
// https://www.sqlite.org/fileformat.html#the_write_ahead_log

const WAL_HEADER = 32;
const FRAME_HEADER = 24;


/** The WAL's identity, or undefined when the bytes are not a valid WAL header. */
export function walGeneration(header: Uint8Array): string | undefined {
  if (header.length < WAL_HEADER) return undefined;
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const magic = v.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  return `${v.getUint32(12)}:${v.getUint32(16)}:${v.getUint32(20)}`;
}

/**
 * Returns the database image with the WAL's committed frames applied (a new
 * buffer), or undefined when the WAL holds no valid committed frame. Torn or
 * stale frames (bad checksum, old salt) end the scan, like SQLite does.
 */
export function applyWal(db: Uint8Array, wal: Uint8Array): Uint8Array | undefined {
  if (walGeneration(wal) === undefined) return undefined;
  const v = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const bigEndian = (v.getUint32(0) & 1) === 1;
  const pageSize = v.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  const salt1 = v.getUint32(16);
  const salt2 = v.getUint32(20);
  let [s0, s1] = checksum(v, 0, 24, 0, 0, bigEndian);
  if (s0 !== v.getUint32(24) || s1 !== v.getUint32(28)) return undefined;

  const committed = new Map<number, number>(); // page number → offset of its bytes in the WAL
  let pending: [number, number][] = [];
  let dbPages = 0;
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
    if (v.getUint32(off + 8) !== salt1 || v.getUint32(off + 12) !== salt2) break;
    [s0, s1] = checksum(v, off, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(v, off + FRAME_HEADER, pageSize, s0, s1, bigEndian);
    if (s0 !== v.getUint32(off + 16) || s1 !== v.getUint32(off + 20)) break;
    pending.push([v.getUint32(off), off + FRAME_HEADER]);
    const commitSize = v.getUint32(off + 4);
    if (commitSize !== 0) {
      for (const [page, at] of pending) committed.set(page, at);
      pending = [];
      dbPages = commitSize;
    }
  }
  if (!committed.size) return undefined;

  const image = new Uint8Array(dbPages * pageSize);
  image.set(db.subarray(0, Math.min(db.length, image.length)));
  for (const [page, at] of committed) {
    if (page >= 1 && page <= dbPages) image.set(wal.subarray(at, at + pageSize), (page - 1) * pageSize);
  }
  return image;
}

/** SQLite's WAL checksum over `length` bytes (a multiple of 8) starting from (s0, s1). */
function checksum(v: DataView, offset: number, length: number, s0: number, s1: number, bigEndian: boolean): [number, number] {
  const le = !bigEndian;
  for (let i = offset; i < offset + length; i += 8) {
    s0 = (s0 + v.getUint32(i, le) + s1) >>> 0;
    s1 = (s1 + v.getUint32(i + 4, le) + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * Marks the image as a rollback-journal database (file format bytes 18/19 =
 * 1) so the in-memory SQLite does not look for a WAL of its own.
 */
export function markLegacy(image: Uint8Array): void {
  if (image.length >= 100 && (image[18] === 2 || image[19] === 2)) {
    image[18] = 1;
    image[19] = 1;
  }
}

/**
 * Whether a `-wal` file may hold frames a reader must see, from its first 56
 * bytes (header and first frame header): a valid header and a first frame of
 * the same generation (salts). A missing, empty or just-reset WAL does not.
 */
export function walHasFrames(head: Uint8Array | undefined): boolean {
  if (!head || head.length < WAL_HEADER + FRAME_HEADER || walGeneration(head) === undefined) return false;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return v.getUint32(WAL_HEADER + 8) === v.getUint32(16) && v.getUint32(WAL_HEADER + 12) === v.getUint32(20);
}
