// The initramfs: a static busybox, /init (templates/init.sh), the static modtool, the
// built modules and the step list, packed with cpio (newc) and gzip.
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runOrFail } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';
import type { Build } from './build';
import { TEMPLATES } from './paths';

const BUSYBOX = '/bin/busybox';

export async function makeInitramfs(workDir: string, build: Pick<Build, 'modules' | 'modtool'>, steps: string): Promise<string> {
  const root = path.join(workDir, 'root');
  rmSync(root, { recursive: true, force: true });
  for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'oracle/modules']) mkdirSync(path.join(root, dir), { recursive: true });
  try {
    copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
  } catch {
    fail(`${BUSYBOX} is missing (package busybox-static)`);
  }
  copyFileSync(build.modtool, path.join(root, 'bin/modtool'));
  copyFileSync(path.join(TEMPLATES, 'init.sh'), path.join(root, 'init'));
  for (const file of ['bin/busybox', 'bin/modtool', 'init']) chmodSync(path.join(root, file), 0o755);
  for (const [name, ko] of build.modules) copyFileSync(ko, path.join(root, 'oracle/modules', `${name}.ko`));
  writeFileSync(path.join(root, 'oracle/steps'), steps);
  const initrd = path.join(workDir, 'initrd.gz');
  await runOrFail('packing the initramfs (cpio)', 'sh', ['-c', 'find . | cpio -o -H newc --quiet | gzip -1 > "$1"', 'sh', initrd], {
    cwd: root,
    timeoutMs: 120_000,
  });
  return initrd;
}
