// What the booted kernel's sysfs showed after a step, written back as files under a folder
// (sys/kernel/livepatch/<patch>/{enabled,transition}, <object>/patched, <function,sympos>/, and
// proc/modules): the snapshot `klp-lens state --running-root` reads like a machine's root.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { StepRecord } from './serial';

export function writeSysfsSnapshot(record: StepRecord, root: string): string {
  const livepatch = path.join(root, 'sys/kernel/livepatch');
  mkdirSync(livepatch, { recursive: true });
  for (const p of record.patches) {
    const dir = path.join(livepatch, p.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'enabled'), `${p.enabled ? 1 : 0}\n`);
    writeFileSync(path.join(dir, 'transition'), `${p.transition ? 1 : 0}\n`);
    for (const o of p.objects) {
      mkdirSync(path.join(dir, o.name), { recursive: true });
      writeFileSync(path.join(dir, o.name, 'patched'), `${o.patched ? 1 : 0}\n`);
      for (const f of o.funcs) mkdirSync(path.join(dir, o.name, f), { recursive: true });
    }
  }
  mkdirSync(path.join(root, 'proc'), { recursive: true });
  // /proc/modules: name size refcount deps state address; only the names are read.
  writeFileSync(path.join(root, 'proc/modules'), [...record.modules].sort().map((m) => `${m} 0 0 - Live 0x0000000000000000\n`).join(''));
  return root;
}
