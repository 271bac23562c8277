// The livepatches of a running machine, as its sysfs and /proc/modules show them
// (Documentation/ABI/testing/sysfs-kernel-livepatch): /sys/kernel/livepatch/<patch>/enabled and
// transition, <patch>/<object>/patched and a <function,sympos> directory per function; the
// `replace` attribute only where the kernel has it (6.11+). `root` is "/" for this machine, or a
// snapshot of those files (the oracle writes one from the kernel it boots).
import * as path from 'node:path';
import type { FileSource } from '../common/fileSource';
import { problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';

export interface RunningLivepatch {
  name: string;
  enabled: boolean;
  transition: boolean;
  /** Read from sysfs where the kernel has the attribute, else undefined. */
  replace?: boolean;
  objects: Array<{ name: string; patched: boolean; funcs: string[] }>;
}

export interface RunningState {
  root: string;
  livepatches: RunningLivepatch[];
  /** Loaded modules (/proc/modules). */
  modules: string[];
  problems: Problem[];
}

export function readRunning(fs: FileSource, root = '/'): RunningState {
  const problems: Problem[] = [];
  const dir = path.join(root, 'sys/kernel/livepatch');
  const modulesFile = path.join(root, 'proc/modules');
  const modulesText = fs.readText(modulesFile);
  if (modulesText === undefined) problems.push(problem('unreadable-input', 'error', { file: modulesFile, range: FILE_START }, `cannot read ${modulesFile}: is ${root} a machine's root?`));
  const patches = fs.listDir(dir);
  // No livepatch was ever enabled: the kernel makes the directory when the livepatch core starts, so its absence says the kernel has none (CONFIG_LIVEPATCH unset).
  if (patches === undefined && modulesText !== undefined) problems.push(problem('unreadable-input', 'warning', { file: dir, range: FILE_START }, `${dir} is absent: the kernel has no livepatch support (CONFIG_LIVEPATCH)`));
  const flag = (file: string) => fs.readText(file)?.trim();
  const livepatches = (patches ?? []).filter((name) => fs.isDirectory(path.join(dir, name))).sort().map((name): RunningLivepatch => {
    const at = path.join(dir, name);
    const replace = flag(path.join(at, 'replace'));
    // An object's directory is the one with a `patched` attribute.
    const objects = (fs.listDir(at) ?? []).sort().flatMap((o) => {
      const patched = flag(path.join(at, o, 'patched'));
      if (patched === undefined) return [];
      const funcs = (fs.listDir(path.join(at, o)) ?? []).filter((f) => f.includes(',') && fs.isDirectory(path.join(at, o, f))).sort();
      return [{ name: o, patched: patched === '1', funcs }];
    });
    return { name, enabled: flag(path.join(at, 'enabled')) === '1', transition: flag(path.join(at, 'transition')) === '1', ...(replace === undefined ? {} : { replace: replace === '1' }), objects };
  });
  const modules = (modulesText ?? '').split('\n').map((l) => l.split(' ')[0]).filter(Boolean).sort();
  return { root, livepatches, modules, problems };
}
