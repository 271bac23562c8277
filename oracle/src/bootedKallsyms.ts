// The symbols of a kernel as it runs: Debian's linux-image packages ship a placeholder System.map
// (the real one is in the -dbg package), so one boot prints /proc/kallsyms (vmlinux alone:
// nothing else is loaded) and the file is kept beside the kernel for the next runs.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fail } from '../../tools/src/toolError';
import { boot } from './boot';
import { makeInitramfs } from './initramfs';
import { parseSerial } from './serial';

/** `file`, written from one boot of `vmlinuz` unless it is there already; `modtool`: the initramfs' static helper. */
export async function bootedKallsyms(vmlinuz: string, modtool: string, file: string, log: (line: string) => void): Promise<string> {
  if (existsSync(file)) return file;
  const workDir = `${file}.boot`;
  mkdirSync(workDir, { recursive: true });
  log(`booting ${path.basename(vmlinuz)} once for its /proc/kallsyms`);
  const initrd = await makeInitramfs(workDir, { modules: new Map(), modtool }, 'kallsyms\n');
  const record = parseSerial(await boot({ vmlinuz, initrd, workDir, timeoutMs: 300_000 }));
  if (record.kallsyms.length < 1000) fail(`the boot printed ${record.kallsyms.length} lines of /proc/kallsyms (serial log: ${path.join(workDir, 'serial.log')})`);
  writeFileSync(`${file}.part`, record.kallsyms.join('\n') + '\n');
  renameSync(`${file}.part`, file);
  return file;
}
