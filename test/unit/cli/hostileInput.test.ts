// The command line on input that must not be read whole, waited on or trusted (issue 13,
// items 1, 2 and 7): each is refused at once with status 2 and the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../server/src/common/packageRoot';
import { klpLens } from '../../helpers/cli';
import { fixturePath } from '../../helpers/fixtures';

const PATCH = path.join(packageRoot(), 'examples', 'proc-fix.patch');
const BIN = path.join(packageRoot(), 'bin', 'klp-lens.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-hostile-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const corrupt = (name: string) => fixturePath('kernel', 'corrupt', name);

describe('klp-lens on hostile input', () => {
  it.each([
    ['a patch that links to /dev/zero', () => link('/dev/zero', 'z.patch'), (f: string) => ['check', f], 'is a character device, not a regular file'],
    ['a FIFO named as a patch', () => fifo('f.patch'), (f: string) => ['check', f], 'is a FIFO, not a regular file'],
    ['--symvers /dev/zero', () => '/dev/zero', (f: string) => ['check', '--symvers', f, PATCH], 'is a character device, not a regular file'],
    ['--series /dev/zero', () => '/dev/zero', (f: string) => ['check', '--series', f, PATCH], 'is a character device, not a regular file'],
    ['a FIFO as --symvers', () => fifo('Module.symvers'), (f: string) => ['check', '--symvers', f, PATCH], 'is a FIFO, not a regular file'],
  ])('%s: exit 2 with the reason', async (_, make, args, reason) => {
    const { code, stderr } = await klpLens(...args(make()));
    expect(code).toBe(2);
    expect(stderr).toContain(reason);
  });

  it.each(['zeros.xz', 'zeros.zst', 'zeros.gz'])('a Module.symvers bomb (%s) past --limit-decompressed-bytes: exit 2, not "no problems"', async (name) => {
    const { code, stderr } = await klpLens('check', '--limit-decompressed-bytes', '1048576', '--symvers', corrupt(name), PATCH);
    expect(code).toBe(2);
    expect(stderr).toContain('decompresses to more than 1 MiB');
  });

  it('a .ko.zst whose checksum does not match, in --modules: exit 2', async () => {
    const modules = path.join(tmp, 'modules');
    mkdirSync(modules);
    copyFileSync(corrupt('tiny_flipped.ko.zst'), path.join(modules, 'tiny.ko.zst'));
    const { code, stderr } = await klpLens('check', '--modules', modules, PATCH);
    expect(code).toBe(2);
    expect(stderr).toContain('corrupt compressed data (checksum mismatch)');
  });

  // Permissions do not bind root: the built command runs as nobody (runuser), as the probe did.
  const asNobody = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser') && existsSync(BIN);
  it.skipIf(!asNobody)('a --kernel folder it may not list: exit 2, not a silent empty kernel', () => {
    const locked = path.join(tmp, 'locked');
    mkdirSync(locked, { mode: 0o000 });
    chmodSync(tmp, 0o755);
    const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'check', '--kernel', locked, PATCH], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`cannot read kernel directory ${locked}: permission denied`);
  });

  it('refuses a limit that is no positive integer', async () => {
    const { code, stderr } = await klpLens('check', '--limit-text-bytes', 'lots', PATCH);
    expect(code).toBe(2);
    expect(stderr).toContain("--limit-text-bytes must be a positive integer, not 'lots'");
  });
});

function link(target: string, name: string): string {
  const file = path.join(tmp, name);
  symlinkSync(target, file);
  return file;
}

function fifo(name: string): string {
  const file = path.join(tmp, name);
  execFileSync('mkfifo', [file]);
  return file;
}
