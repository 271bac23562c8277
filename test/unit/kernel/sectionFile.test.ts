// The cache files of a folder (server/src/kernel/sectionFile.ts): the folder keeps the 32 last
// written or opened, so that a file a load opened is not removed by the writes that follow it.
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSectionFile, SectionWriter } from '../../../server/src/kernel/sectionFile';

const MAGIC = Buffer.from('KLPTEST1');
const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-section-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string): string {
  const file = path.join(dir, `${name}.idx`);
  const writer = new SectionWriter();
  const section = writer.place(Buffer.from(name));
  expect(writer.write(file, MAGIC, { section })).toBeUndefined();
  return file;
}

describe('a folder of cache files', () => {
  it('keeps the 32 last written or opened', () => {
    const opened = write('opened');
    const others = Array.from({ length: 31 }, (_, i) => write(`other-${i}`));
    // All written an hour ago, `opened` first.
    const hourAgo = Date.now() / 1000 - 3600;
    [opened, ...others].forEach((file, i) => utimesSync(file, hourAgo + i, hourAgo + i));
    const file = openSectionFile(opened, MAGIC);
    expect(file?.section((file.header as { section: never }).section)?.toString()).toBe('opened');
    write('new');
    expect(readdirSync(dir)).toHaveLength(32);
    expect(existsSync(opened)).toBe(true);
    // The oldest not opened since is the one removed.
    expect(existsSync(others[0])).toBe(false);
  });
});
