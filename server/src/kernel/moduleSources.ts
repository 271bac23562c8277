// The object a kernel source file is built into, from the kernel's artifacts alone (no source
// tree): kbuild compiles `<dir>/<base>.c` into `<dir>/<base>.o`, and a module at `<dir>/<base>.ko`
// (as modules.order or modules.builtin list it, or as Module.symvers names the module of an
// export) is that object itself: `obj-m += base.o` (scripts/Makefile.build). A composite module
// cannot list its own name among its parts (scripts/Makefile.lib refuses "foo-y := foo.o"), so a
// file of the module's name is the single-file module. A module built in is part of vmlinux.
import type { Memo } from '../common/memo';
import type { KernelContext } from './types';

export interface ArtifactObject {
  object: string;
  reason: string;
}

/** The module `sourcePath` (a path inside the tree, e.g. 'net/sctp/sctp_diag.c') is compiled into, when the artifacts decide it. */
export function singleFileModule(memo: Memo, kernel: KernelContext, sourcePath: string): ArtifactObject | undefined {
  const stem = sourcePath.replace(/\.c$/, '');
  const found = stem === sourcePath ? undefined : memo.get(modulesByStem, kernel).get(stem);
  if (!found) return undefined;
  const { name, from } = found;
  return kernel.modules.get(name)?.builtin
    ? { object: 'vmlinux', reason: `${from} names module ${name} at ${stem}, built from ${sourcePath} alone, and it is built into vmlinux (modules.builtin)` }
    : { object: name, reason: `${from} names module ${name} at ${stem}: built from ${sourcePath} alone` };
}

/** Each module's path without `kernel/` and `.ko`, from the module lists and Module.symvers. */
function modulesByStem(kernel: KernelContext): Map<string, { name: string; from: string }> {
  const index = new Map<string, { name: string; from: string }>();
  for (const e of kernel.exports.values()) if (e.object !== 'vmlinux') index.set(e.path, { name: e.object, from: 'Module.symvers' });
  for (const info of kernel.modules.values()) {
    const stem = info.path?.replace(/^kernel\//, '').replace(/\.ko(\.\w+)?$/, '');
    if (stem?.includes('/')) index.set(stem, { name: info.name, from: info.builtin ? 'modules.builtin' : 'modules.order' });
  }
  return index;
}
