import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readKernelFile } from '../../../server/src/kernel/compressed';
import { fixturePath } from '../../helpers/fixtures';

const plain = readFileSync(fixturePath('kernel', 'elf', 'tiny.ko'));

describe('readKernelFile', () => {
  it.each(['tiny.ko', 'tiny.ko.xz', 'tiny.ko.zst'])('reads %s to the same bytes', async (name) => {
    expect(Buffer.compare(await readKernelFile(fixturePath('kernel', 'elf', name)), plain)).toBe(0);
  });

  it('chooses the format by magic bytes, not by the name', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-compressed-'));
    const gz = path.join(dir, 'looks-plain.ko');
    writeFileSync(gz, gzipSync(plain));
    expect(Buffer.compare(await readKernelFile(gz), plain)).toBe(0);
    const xzNamedPlain = path.join(dir, 'plain.ko.xz');
    writeFileSync(xzNamedPlain, plain);
    expect(Buffer.compare(await readKernelFile(xzNamedPlain), plain)).toBe(0);
  });

  it('throws, naming the file, on corrupt compressed data', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-compressed-'));
    const cut = path.join(dir, 'cut.ko.xz');
    writeFileSync(cut, readFileSync(fixturePath('kernel', 'elf', 'tiny.ko.xz')).subarray(0, 100));
    await expect(readKernelFile(cut)).rejects.toThrow(/cut\.ko\.xz: corrupt compressed data/);
  });

  it('throws on a missing file', async () => {
    await expect(readKernelFile('/nonexistent/file')).rejects.toThrow(/ENOENT/);
  });
});
