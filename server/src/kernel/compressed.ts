// Reads a kernel artifact that may be compressed (distributions ship .ko.xz, .ko.zst,
// Module.symvers.gz...). The format is chosen by the file's magic bytes, so a
// compressed file without its extension (or the reverse) still reads right.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { XzReadableStream } from 'xz-decompress';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const GZIP_MAGIC = [0x1f, 0x8b];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

async function unxz(bytes: Buffer): Promise<Buffer> {
  const reader = new XzReadableStream(new Blob([bytes]).stream()).getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

/**
 * The file's contents, decompressed when it is xz, zstd or gzip data.
 * Throws (with the file's name in the message) when the file cannot be read or its
 * compressed data is corrupt: callers turn that into a problem.
 */
export async function readKernelFile(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  try {
    if (startsWith(bytes, XZ_MAGIC)) return await unxz(bytes);
    if (startsWith(bytes, ZSTD_MAGIC)) return Buffer.from(zstdDecompress(bytes));
    if (startsWith(bytes, GZIP_MAGIC)) return gunzipSync(bytes);
  } catch (err) {
    throw new Error(`${path}: corrupt compressed data (${err instanceof Error ? err.message : String(err)})`);
  }
  return bytes;
}
