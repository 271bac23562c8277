// Boots the kernel under qemu (TCG: KVM hangs on these machines) with the initramfs, and
// returns what /init printed on the serial console.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../tools/src/exec';
import { fail } from '../../tools/src/toolError';

export interface BootOptions {
  vmlinuz: string;
  initrd: string;
  workDir: string;
  timeoutMs: number;
  /** Called with each "@@" line as it arrives (progress). */
  onLine?: (line: string) => void;
}

export async function boot(options: BootOptions): Promise<string> {
  const args = [
    '-accel', 'tcg', '-cpu', 'max', '-m', '1024', '-smp', '1',
    '-kernel', options.vmlinuz, '-initrd', options.initrd,
    '-append', 'console=ttyS0 loglevel=1 panic=-1 nokaslr printk.time=0',
    '-nographic', '-no-reboot',
  ];
  let pending = '';
  const result = await run('qemu-system-x86_64', args, {
    timeoutMs: options.timeoutMs,
    onStdout: (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('@@')) options.onLine?.(line.replace(/\r$/, ''));
    },
  });
  const serialLog = path.join(options.workDir, 'serial.log');
  writeFileSync(serialLog, result.stdout);
  if (result.code === null && !result.timedOut) fail(`qemu-system-x86_64 did not start: ${result.stderr.trim()}`);
  if (!result.stdout.includes('@@BOOT')) {
    fail(`the kernel never reached /init${result.timedOut ? ` within ${options.timeoutMs / 1000} s` : ''} (serial log: ${serialLog})`);
  }
  if (!result.stdout.includes('@@DONE')) {
    const last = result.stdout.split('\n').filter((l) => l.startsWith('@@STEP') || l.startsWith('@@SCENARIO')).pop() ?? 'no step';
    fail(`the boot ${result.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : 'stopped'} before /init finished; last: ${last.trim()} (serial log: ${serialLog})`);
  }
  return result.stdout.replace(/\r/g, '');
}
