// Reads a kernel artifact that may be compressed (distributions ship .ko.xz, .ko.zst,
// Module.symvers.gz...). The format is chosen by the file's magic bytes, so a
// compressed file without its extension (or the reverse) still reads right. Each format is
// decompressed as a stream that stops at the decompressed-size limit: a 4 GiB Module.symvers.xz
// of zeros is refused in a moment, never held in memory.
import { gunzipSync } from 'node:zlib';
import { Decompress } from 'fzstd';
import { XzReadableStream } from 'xz-decompress';
import { DEFAULT_LIMITS, formatBytes, readRegularFileAsync, type FileBytes, type ReadLimits } from '../common/fileRead';
import { errorMessage } from '../common/problem';
import { zstdFrames } from './zstdFrames';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const GZIP_MAGIC = [0x1f, 0x8b];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Thrown when the decompressed data passes the limit: not corrupt, refused. */
class TooLarge extends Error {
  constructor(limit: number) {
    super(`decompresses to more than ${formatBytes(limit)} (the limit: klpLens.limits.decompressedBytes, --limit-decompressed-bytes)`);
  }
}

/** The chunks of a decompression, refused past `limit` bytes. */
class Output {
  private readonly chunks: Uint8Array[] = [];
  total = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Uint8Array): void {
    this.total += chunk.length;
    if (this.total > this.limit) throw new TooLarge(this.limit);
    this.chunks.push(chunk);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function unxz(bytes: Buffer, limit: number): Promise<Buffer> {
  const reader = new XzReadableStream(new Blob([bytes]).stream()).getReader();
  const output = new Output(limit);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return output.bytes();
      output.add(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  }
}

/** Each frame decompressed as a stream and checked against its Content_Checksum (XXH64, low 32 bits). */
async function unzstd(bytes: Buffer, limit: number): Promise<Buffer> {
  const frames = zstdFrames(bytes);
  if (typeof frames === 'string') throw new Error(frames);
  // An ES module: imported, not required, from this CommonJS build.
  const { create64 } = await (await import('xxhash-wasm')).default();
  const output = new Output(limit);
  for (const frame of frames) {
    const hash = create64(0n);
    new Decompress((chunk) => {
      output.add(chunk);
      hash.update(chunk);
    }).push(frame.bytes, true);
    if (frame.checksum !== undefined && Number(hash.digest() & 0xffffffffn) !== frame.checksum) throw new Error('checksum mismatch');
  }
  return output.bytes();
}

/** gunzip within the limit: zlib stops at maxOutputLength with a RangeError. */
function gunzip(bytes: Buffer, limit: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError) throw new TooLarge(limit);
    throw err;
  }
}

/** How the file is read: readRegularFileAsync(), or readRegularFile() where many small files are read in a row (a modules folder: kernel/moduleReading.ts, kernel/context.ts). */
export type ReadFile = (path: string, limit: number) => FileBytes | Promise<FileBytes>;

/**
 * The file's contents, decompressed when it is xz, zstd or gzip data. Throws (with the reason;
 * for corrupt data with the file's name) when the file cannot be read (not a regular file,
 * larger than limits.kernelBytes), its compressed data is corrupt, or it decompresses past
 * limits.decompressedBytes: callers turn that into a problem.
 */
export async function readKernelFile(path: string, limits: ReadLimits = DEFAULT_LIMITS, readFile: ReadFile = readRegularFileAsync): Promise<Buffer> {
  const read = await readFile(path, limits.kernelBytes);
  if (!read.ok) throw new Error(read.reason);
  const bytes = read.bytes;
  try {
    if (startsWith(bytes, XZ_MAGIC)) return await unxz(bytes, limits.decompressedBytes);
    if (startsWith(bytes, ZSTD_MAGIC)) return await unzstd(bytes, limits.decompressedBytes);
    if (startsWith(bytes, GZIP_MAGIC)) return gunzip(bytes, limits.decompressedBytes);
  } catch (err) {
    if (err instanceof TooLarge) throw err;
    throw new Error(`${path}: corrupt compressed data (${errorMessage(err)})`);
  }
  return bytes;
}
