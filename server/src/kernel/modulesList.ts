// The module lists kbuild writes next to vmlinux and installs in /lib/modules/<release>/
// (top Makefile, modules_install): modules.order (every module built, in link order),
// modules.builtin (the modules built into vmlinux) and modules.builtin.modinfo (the
// .modinfo of the built-in code, every string prefixed with its module's name).
import { moduleNameOf } from './types';

export interface ListedModule {
  name: string;
  /** As listed, e.g. 'kernel/drivers/cdrom/cdrom.ko' (installed) or 'drivers/cdrom/cdrom.ko' (build tree). */
  path: string;
}

/** modules.order or modules.builtin: one .ko path a line. */
export function parseModuleList(text: string): ListedModule[] {
  const modules: ListedModule[] = [];
  for (const line of text.split('\n')) {
    const path = line.trim();
    if (path) modules.push({ name: moduleNameOf(path), path });
  }
  return modules;
}

/**
 * modules.builtin.modinfo: NUL-separated "module.key=value" strings, the key=value of a
 * built-in module's MODULE_*() macros (include/linux/moduleparam.h, __MODULE_INFO with
 * KBUILD_MODNAME "." prefix when built in). Module name -> its pairs in order.
 */
export function parseBuiltinModinfo(bytes: Uint8Array): Map<string, Array<[string, string]>> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const modules = new Map<string, Array<[string, string]>>();
  for (const item of text.split('\0')) {
    const dot = item.indexOf('.');
    const eq = item.indexOf('=', dot + 1);
    if (dot <= 0 || eq <= dot + 1) continue;
    const name = item.slice(0, dot);
    let pairs = modules.get(name);
    if (!pairs) modules.set(name, (pairs = []));
    pairs.push([item.slice(dot + 1, eq), item.slice(eq + 1)]);
  }
  return modules;
}
