// The one way the engine reads a file (common/fileRead.ts): whole, within its limit, from
// regular files only, whatever st_size says.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile, readRegularFileAsync } from '../../../server/src/common/fileRead';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-fileread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ['readRegularFile', async (file: string, limit: number) => readRegularFile(file, limit)],
  ['readRegularFileAsync', readRegularFileAsync],
])('%s', (_, read) => {
  it('reads a file whole at, below and above a chunk, up to its limit exactly', async () => {
    for (const size of [0, 1, 4095, 1024 * 1024, 1024 * 1024 + 3, 3 * 1024 * 1024]) {
      const file = path.join(tmp, `f${size}`);
      const bytes = Buffer.alloc(size, 'k');
      writeFileSync(file, bytes);
      const whole = await read(file, size === 0 ? 1 : size);
      expect(whole.ok && whole.bytes.equals(bytes)).toBe(true);
      if (size > 0) expect(await read(file, size - 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/^is larger than the limit of/) });
    }
  });

  it('reads a /proc file, whose st_size is 0, to its end', async () => {
    const proc = await read('/proc/self/mountinfo', 1024 * 1024);
    expect(proc.ok && proc.bytes.length).toBeGreaterThan(0);
    expect(proc.ok && proc.bytes.toString('utf8').endsWith('\n')).toBe(true);
    expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n')[0]).toBe(proc.ok && proc.bytes.toString('utf8').split('\n')[0]);
  });

  it('says why it cannot read: absent, a directory, a device', async () => {
    expect(await read(path.join(tmp, 'absent'), 10)).toEqual({ ok: false, reason: 'no such file or directory' });
    expect(await read(tmp, 10)).toEqual({ ok: false, reason: 'is a directory' });
    expect(await read('/dev/null', 10)).toEqual({ ok: false, reason: 'is a character device, not a regular file' });
  });
});
