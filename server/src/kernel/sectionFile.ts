// The file format of klp-lens' on-disk caches of the kernel (moduleIndex.ts: a modules folder,
// artifactIndex.ts: kallsyms, System.map and Module.symvers as parsed): MAGIC, a u32 header
// length, the header (JSON, which places the sections), the sections, and the header's own
// SHA-256 to end the file. Each section carries its SHA-256 in the header and is checked each
// time it is read: a file whose header does not check out is not opened, a section that does
// not is not used (the caller says what it does instead).
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../common/problem';

/** Where a section is in the body (after the header), and its SHA-256 (hex). */
export interface Section {
  offset: number;
  length: number;
  sha256: string;
}

/** Cache files kept in a folder: the oldest beyond them are removed when one is written. */
const KEPT = 32;
const CACHE_SUFFIX = '.idx';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A cache file's name in `dir`: `kind`, then a digest of what it stands for (a folder's or a file's absolute path). */
export function cacheFileOf(dir: string, kind: string, subject: string): string {
  return path.join(dir, `${kind}-${sha256(path.resolve(subject)).slice(0, 20)}${CACHE_SUFFIX}`);
}

/** Whether a cache file can be written to `file`'s folder (made when missing). */
export function canWriteCache(file: string): boolean {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    accessSync(path.dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The sections of a file being made, placed one after the other, then written with their header. */
export class SectionWriter {
  private readonly chunks: Buffer[] = [];
  private offset = 0;

  place(bytes: Buffer): Section {
    this.chunks.push(bytes);
    const section = { offset: this.offset, length: bytes.length, sha256: sha256(bytes) };
    this.offset += bytes.length;
    return section;
  }

  /** Writes the file atomically (a temporary file renamed); the reason when it could not. */
  write(file: string, magic: Buffer, header: object): string | undefined {
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, Buffer.concat([magic, length, headerBytes, ...this.chunks, Buffer.from(sha256(headerBytes), 'hex')]));
      renameSync(temporary, file);
      removeOldest(path.dirname(file));
      return undefined;
    } catch (err) {
      rmSync(temporary, { force: true });
      return errorMessage(err);
    }
  }
}

/** The cache files of a folder but the KEPT last written or opened (touch(): kernels gone, temporary folders of tests). */
function removeOldest(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(CACHE_SUFFIX))
    .map((f) => ({ file: path.join(dir, f), mtime: statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of files.slice(KEPT)) rmSync(file, { force: true });
}

/** A file opened: its header (checked against its SHA-256, not yet against what the caller expects) and its sections, read when asked for. */
export class SectionFile {
  constructor(
    readonly file: string,
    private readonly magic: Buffer,
    private readonly bodyStart: number,
    readonly header: unknown,
  ) {}

  /** A section's bytes, or why they cannot be trusted: the file changed on disk since it was opened, or is damaged. */
  section(s: Section): Buffer | string {
    const bytes = withFile(this.file, (read, size) => (s.offset + s.length <= size - 32 - this.bodyStart ? read(this.bodyStart + s.offset, s.length) : undefined));
    if (!bytes) return `${this.file} is shorter than its header says, or gone`;
    return sha256(bytes) === s.sha256 ? bytes : `a section of ${this.file} does not match its checksum`;
  }

  /**
   * Makes the file fail the next open (its magic zeroed), so that the next load makes it again;
   * the sections stay readable meanwhile, each checked as it is read.
   */
  invalidate(): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r+');
      writeSync(fd, Buffer.alloc(this.magic.length), 0, this.magic.length, 0);
    } catch {
      // Gone or read-only: then it is not used again either way, or is made again once its subject changes.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** The file, when it starts with `magic` and its header checks out; undefined otherwise (absent or corrupt). Reads its header only. */
export function openSectionFile(file: string, magic: Buffer): SectionFile | undefined {
  return withFile(file, (read, size) => {
    const start = read(0, magic.length + 4);
    if (!start?.subarray(0, magic.length).equals(magic)) return undefined;
    const bodyStart = magic.length + 4 + start.readUInt32LE(magic.length);
    const headerBytes = read(magic.length + 4, bodyStart - magic.length - 4);
    const headerHash = read(size - 32, 32);
    if (!headerBytes || !headerHash || bodyStart > size - 32 || sha256(headerBytes) !== headerHash.toString('hex')) return undefined;
    let opened: SectionFile;
    try {
      opened = new SectionFile(file, magic, bodyStart, JSON.parse(headerBytes.toString('utf8')));
    } catch {
      return undefined;
    }
    touch(file);
    return opened;
  });
}

/**
 * Marks a cache file used now (its mtime), so that removeOldest() keeps the files last used, not
 * last written: a file opened by a load is not removed by the writes that follow it in the same
 * load (a kernel's module index is opened before its artifacts' caches are written).
 */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A cache folder one may read but not write: nothing is removed from it by this process either.
  }
}

type Reader = (offset: number, length: number) => Buffer | undefined;

/** `use` with a reader of `file`'s bytes (undefined past its end) and its size; undefined when it cannot be opened. */
function withFile<T>(file: string, use: (read: Reader, size: number) => T | undefined): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const read: Reader = (offset, length) => {
      if (offset < 0 || length < 0 || offset + length > size) return undefined;
      const bytes = Buffer.alloc(length);
      return readSync(fd!, bytes, 0, length, offset) === length ? bytes : undefined;
    };
    return use(read, size);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
