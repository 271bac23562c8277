// The one way the engine reads a file from the disk: a regular file only (a FIFO would block
// the reader for good, /dev/zero never ends), no bigger than the limit of its kind, and a
// reason in words when it cannot be read. Workspace content is not trusted: a `.patch` may be
// a link to a device, a `Module.symvers.xz` a decompression bomb.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { errorMessage } from './problem';

export interface ReadLimits {
  /** Bytes of a text file: a patch, a module source, a csv, a series file. */
  textBytes: number;
  /** Bytes of a kernel file as stored (Module.symvers, kallsyms, System.map, .config, a .ko), compressed or not. */
  kernelBytes: number;
  /** Bytes of a compressed kernel file once decompressed. */
  decompressedBytes: number;
  /** Directory entries one walk of the workspace's folders visits. */
  workspaceEntries: number;
  /** Directory entries the walk of a modules folder (a build tree, /lib/modules/<release>) visits. */
  moduleEntries: number;
}

const MiB = 1024 * 1024;

/**
 * Far above any real input (Debian 6.1's largest .ko is 25 MiB decompressed, its kallsyms 12 MiB,
 * a kernel source file under 1 MiB, /lib/modules/<release> 6,000 entries, a whole build tree
 * 150,000), far below what exhausts the process. Settable: klpLens.limits.* in the editor,
 * --limit-* on the command line.
 */
export const DEFAULT_LIMITS: ReadLimits = { textBytes: 32 * MiB, kernelBytes: 256 * MiB, decompressedBytes: 512 * MiB, workspaceEntries: 50_000, moduleEntries: 500_000 };

/** Each limit's name on the command line: textBytes is --limit-text-bytes. */
export function limitFlag(key: keyof ReadLimits): string {
  return `limit-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `DEFAULT_LIMITS` with the values given (positive integers); the first bad one named. */
export function readLimits(given: Partial<Record<keyof ReadLimits, unknown>>): ReadLimits | { error: string } {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ReadLimits>) {
    const value = given[key];
    if (value === undefined || value === '' || value === null) continue;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) return { error: `${key} must be a positive integer, not '${String(value)}'` };
    limits[key] = n;
  }
  return limits;
}

export type FileBytes = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** The bytes of a regular file of at most `limit` bytes, or why not. Never blocks on a FIFO, never reads a device. */
export function readRegularFile(file: string, limit: number): FileBytes {
  const read = withRegularFile(file, limit, (fd, stats) => {
    const bytes = new Bounded(limit, stats.size);
    for (let at = bytes.space(); bytes.more() && bytes.took(readSync(fd, at.buffer, at.offset, at.length, bytes.total)); at = bytes.space());
    return bytes.result();
  });
  return read.ok ? read.value : read;
}

/**
 * `use` given the open descriptor of a regular file of at most `limit` bytes (closed after), or
 * why the file cannot be read: as readRegularFile() opens it, for readers of parts of a file.
 */
export function withRegularFile<T>(file: string, limit: number, use: (fd: number, stats: Stats) => T): { ok: true; value: T } | { ok: false; reason: string } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once (open(2)); fstat then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: systemReason(err) };
  }
  try {
    const stats = fstatSync(fd);
    const refused = refusal(stats, limit);
    return refused ? { ok: false, reason: refused } : { ok: true, value: use(fd, stats) };
  } catch (err) {
    return { ok: false, reason: systemReason(err) };
  } finally {
    closeSync(fd);
  }
}

/** readRegularFile() without blocking the event loop. */
export async function readRegularFileAsync(file: string, limit: number): Promise<FileBytes> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: systemReason(err) };
  }
  try {
    const stats = await handle.stat();
    const refused = refusal(stats, limit);
    if (refused) return { ok: false, reason: refused };
    const bytes = new Bounded(limit, stats.size);
    for (let at = bytes.space(); bytes.more() && bytes.took((await handle.read(at.buffer, at.offset, at.length, bytes.total)).bytesRead); at = bytes.space());
    return bytes.result();
  } catch (err) {
    return { ok: false, reason: systemReason(err) };
  } finally {
    await handle.close();
  }
}

const CHUNK = 1024 * 1024;

/**
 * The bytes read so far, up to one byte past the limit: st_size is no bound (it may grow
 * while read, and /proc files show 0), so reading stops there and the file is refused. The
 * first buffer is sized by st_size (one read and the end-of-file read for most files), not
 * zeroed: only the bytes read are ever seen.
 */
class Bounded {
  private readonly chunks: Buffer[] = [];
  private buffer: Buffer;
  private used = 0;
  total = 0;

  constructor(
    private readonly limit: number,
    expected: number,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(limit + 1, expected + 1));
  }

  more(): boolean {
    return this.total <= this.limit;
  }

  /** Where the next read goes: the rest of the buffer, or a new one when it is full. */
  space(): { buffer: Buffer; offset: number; length: number } {
    if (this.used === this.buffer.length) {
      this.chunks.push(this.buffer);
      this.buffer = Buffer.allocUnsafe(Math.min(CHUNK, this.limit + 1 - this.total));
      this.used = 0;
    }
    return { buffer: this.buffer, offset: this.used, length: this.buffer.length - this.used };
  }

  /** Keeps what one read gave; false at the end of the file. */
  took(bytesRead: number): boolean {
    this.used += bytesRead;
    this.total += bytesRead;
    return bytesRead > 0;
  }

  result(): FileBytes {
    if (this.total > this.limit) return { ok: false, reason: tooLarge(this.limit) };
    const last = this.buffer.subarray(0, this.used);
    return { ok: true, bytes: this.chunks.length === 0 ? last : Buffer.concat([...this.chunks, last]) };
  }
}

function refusal(stats: Stats, limit: number): string | undefined {
  if (stats.isDirectory()) return 'is a directory';
  if (!stats.isFile()) return `is ${kindOf(stats)}, not a regular file`;
  if (stats.size > limit) return tooLarge(limit, stats.size);
  return undefined;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

function tooLarge(limit: number, size?: number): string {
  return `is larger than the limit of ${formatBytes(limit)}${size !== undefined ? ` (${formatBytes(size)})` : ''}`;
}

export function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes} bytes`;
}

/** "no such file or directory" rather than Node's "ENOENT: no such file or directory, open '/x'"; the message otherwise. */
export function systemReason(err: unknown): string {
  const message = errorMessage(err);
  const system = /^E[A-Z]+: ([^,]+)/.exec(message);
  return system ? system[1] : message;
}
