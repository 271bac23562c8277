// The files whose change on disk matters: livepatch inputs in the workspace, and the
// kernel's artifacts wherever the settings put them.
import * as path from 'node:path';
import type { FileSystemWatcher } from 'vscode-languageserver';
import type { KernelOptions } from '../kernel/context';
import { pathToUri } from './uris';

/** Series files, patch diffs, C files (livepatch modules, and the kernel sources diffs are mapped on), SUSE's CSV. */
export const WORKSPACE_WATCHERS: FileSystemWatcher[] = [
  { globPattern: '**/series' },
  { globPattern: '**/*.{patch,diff,c}' },
  { globPattern: '**/patched_funcs.csv' },
];

/** The kernel's files: those named one by one, the top of the build directory, the module files. */
export function kernelWatchers(options: KernelOptions): FileSystemWatcher[] {
  const watchers: FileSystemWatcher[] = [];
  const file = (f: string) => watchers.push({ globPattern: { baseUri: pathToUri(path.dirname(f)), pattern: path.basename(f) } });
  for (const f of namedFiles(options)) if (f !== undefined) file(f);
  if (options.kernel !== undefined) watchers.push({ globPattern: { baseUri: pathToUri(options.kernel), pattern: '*' } });
  if (options.modules !== undefined) watchers.push({ globPattern: { baseUri: pathToUri(options.modules), pattern: '**/*.ko*' } });
  return watchers;
}

/** Whether a changed file is one the kernel context was read from. */
export function isKernelFile(file: string, options: KernelOptions): boolean {
  if (namedFiles(options).some((f) => f !== undefined && path.resolve(f) === file)) return true;
  if (options.kernel !== undefined && path.dirname(file) === path.resolve(options.kernel)) return true;
  return options.modules !== undefined && /\.ko(\.\w+)?$/.test(file) && isInside(file, path.resolve(options.modules));
}

function namedFiles(options: KernelOptions): Array<string | undefined> {
  return [options.symvers, options.kallsyms, options.systemMap, options.vmlinux, options.config];
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
