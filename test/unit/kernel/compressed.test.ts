import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../server/src/common/fileRead';
import { readKernelFile } from '../../../server/src/kernel/compressed';
import { fixturePath } from '../../helpers/fixtures';

const plain = readFileSync(fixturePath('kernel', 'elf', 'tiny.ko'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-compressed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const corrupt = (name: string) => fixturePath('kernel', 'corrupt', name);

describe('readKernelFile', () => {
  it.each(['tiny.ko', 'tiny.ko.xz', 'tiny.ko.zst'])('reads %s to the same bytes', async (name) => {
    expect(Buffer.compare(await readKernelFile(fixturePath('kernel', 'elf', name)), plain)).toBe(0);
  });

  it('chooses the format by magic bytes, not by the name', async () => {
    const dir = mkdtempSync(path.join(tmp, 'case-'));
    const gz = path.join(dir, 'looks-plain.ko');
    writeFileSync(gz, gzipSync(plain));
    expect(Buffer.compare(await readKernelFile(gz), plain)).toBe(0);
    const xzNamedPlain = path.join(dir, 'plain.ko.xz');
    writeFileSync(xzNamedPlain, plain);
    expect(Buffer.compare(await readKernelFile(xzNamedPlain), plain)).toBe(0);
  });

  it('throws, naming the file, on corrupt compressed data', async () => {
    const dir = mkdtempSync(path.join(tmp, 'case-'));
    const cut = path.join(dir, 'cut.ko.xz');
    writeFileSync(cut, readFileSync(fixturePath('kernel', 'elf', 'tiny.ko.xz')).subarray(0, 100));
    await expect(readKernelFile(cut)).rejects.toThrow(/cut\.ko\.xz: corrupt compressed data/);
  });

  it('throws on a missing file', async () => {
    await expect(readKernelFile('/nonexistent/file')).rejects.toThrow(/no such file or directory/);
  });

  it.each(['zeros.xz', 'zeros.zst', 'zeros.gz'])('refuses %s (2 MiB of zeros) past a 1 MiB decompressed-size limit, as a stream', async (name) => {
    const limits = { ...DEFAULT_LIMITS, decompressedBytes: 1024 * 1024 };
    await expect(readKernelFile(corrupt(name), limits)).rejects.toThrow('decompresses to more than 1 MiB (the limit: klpLens.limits.decompressedBytes, --limit-decompressed-bytes)');
    expect((await readKernelFile(corrupt(name))).length).toBe(2 * 1024 * 1024);
  });

  it('refuses a .ko.zst whose content does not match its checksum (fzstd alone decodes it)', async () => {
    await expect(readKernelFile(corrupt('tiny_flipped.ko.zst'))).rejects.toThrow(/tiny_flipped\.ko\.zst: corrupt compressed data \(checksum mismatch\)/);
  });

  it('refuses a .ko.zst whose Huffman table never ends (fzstd 0.1.1 looped on it for good; patches/fzstd+0.1.1.patch)', async () => {
    await expect(readKernelFile(corrupt('tiny_loops_fzstd.ko.zst'))).rejects.toThrow(/corrupt compressed data/);
  });

  it('refuses a FIFO and a device at once, and a file over the size limit', async () => {
    const fifo = path.join(tmp, 'Module.symvers');
    execFileSync('mkfifo', [fifo]);
    await expect(readKernelFile(fifo)).rejects.toThrow('is a FIFO, not a regular file');
    await expect(readKernelFile('/dev/zero')).rejects.toThrow('is a character device, not a regular file');
    await expect(readKernelFile(fixturePath('kernel', 'elf', 'tiny.ko'), { ...DEFAULT_LIMITS, kernelBytes: 100 })).rejects.toThrow(/is larger than the limit of 100 bytes/);
  });
});
