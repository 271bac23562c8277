// The functions the generated scenarios patch: seq_file show functions whose output can be
// read from /proc, so that reading the file shows which implementation runs.
import { targetName, TARGET_IDS } from './modules';
import type { Observation } from './scenario';

export interface PoolFunction {
  object: string;
  name: string;
  /** The file of each occurrence, in symbol-table order (two for a duplicated static name). */
  files: string[];
}

const VMLINUX: PoolFunction[] = [
  { object: 'vmlinux', name: 'cmdline_proc_show', files: ['/proc/cmdline'] },
  { object: 'vmlinux', name: 'version_proc_show', files: ['/proc/version'] },
  { object: 'vmlinux', name: 'uptime_proc_show', files: ['/proc/uptime'] },
  { object: 'vmlinux', name: 'loadavg_proc_show', files: ['/proc/loadavg'] },
  { object: 'vmlinux', name: 'execdomains_proc_show', files: ['/proc/execdomains'] },
  // fs/proc/fd.c and net/netfilter/nf_log.c, in that address order.
  { object: 'vmlinux', name: 'seq_show', files: ['/proc/self/fdinfo/0', '/proc/net/netfilter/nf_log'] },
];

function targetFunctions(id: string): PoolFunction[] {
  const mod = targetName(id);
  return [
    { object: mod, name: `${id}_a_show`, files: [`/proc/${mod}_a`] },
    { object: mod, name: `${id}_b_show`, files: [`/proc/${mod}_b`] },
    // <id>_main.c is linked first.
    { object: mod, name: 'dup_show', files: [`/proc/${mod}_dup1`, `/proc/${mod}_dup2`] },
  ];
}

export const POOL: PoolFunction[] = [...VMLINUX, ...TARGET_IDS.flatMap(targetFunctions)];

const poolFunction = (object: string, name: string) => POOL.find((f) => f.object === object && f.name === name);

/** The observation of `name` at `sympos` (as sysfs shows it) in `object`, if the pool has it. */
export function observationOf(object: string, name: string, sympos: number): Observation | undefined {
  const file = poolFunction(object, name)?.files[sympos - 1];
  return file ? { object, name, sympos, path: file } : undefined;
}

/** How often the generator expects a name in an object (the pool's own symbol tables). */
export function poolSymbolCount(object: string, name: string): number {
  return poolFunction(object, name)?.files.length ?? 0;
}
