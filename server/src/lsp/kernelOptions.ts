// The kernel the settings name, and how to tell the user what was found of it.
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReadLimits } from '../common/fileRead';
import type { KernelOptions } from '../kernel/context';
import { withDefaultKernel } from '../kernel/defaultKernel';
import type { KernelContext } from '../kernel/types';
import { rulesSummary } from '../kernel/capabilities';
import type { KernelStatus } from './protocol';
import type { KernelSettings } from './settings';

/** A path setting: relative to the workspace folder, `~/` to the home folder; undefined when empty. */
export function settingPath(value: string, folder: string | undefined): string | undefined {
  if (value === '') return undefined;
  if (value === '~' || value.startsWith('~/')) return path.join(os.homedir(), value.slice(1));
  return folder === undefined ? path.resolve(value) : path.resolve(folder, value);
}

/** The kernel the settings name (paths as settingPath() reads them); empty settings mean the running kernel. */
export function kernelOptionsOf(settings: KernelSettings, folder: string | undefined, limits?: ReadLimits): KernelOptions {
  const at = (value: string) => settingPath(value, folder);
  const options: KernelOptions = {
    kernel: at(settings.buildDir),
    source: at(settings.sourceDir),
    symvers: at(settings.symvers),
    kallsyms: at(settings.kallsyms),
    systemMap: at(settings.systemMap),
    vmlinux: at(settings.vmlinux),
    modules: at(settings.modulesDir),
    config: at(settings.config),
    ...(settings.version.trim() !== '' && { version: settings.version.trim() }),
    ...(limits && { limits }),
  };
  return withDefaultKernel(options);
}

/** The folder or file the kernel is read from, as the user would name it. */
export function kernelSource(options: KernelOptions): string | null {
  return options.kernel ?? options.symvers ?? options.kallsyms ?? options.systemMap ?? options.vmlinux ?? options.modules ?? options.config ?? options.source ?? null;
}

/** "1 module", "24,683 exports". */
// Thousands separated by hand: the first toLocaleString() loads ICU's locale data, 16 ms of the server's first answer with a kernel.
const count = (n: number, what: string): string => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${what}${n === 1 ? '' : 's'}`;

export function describeKernel(kernel: KernelContext, options: KernelOptions): KernelStatus {
  const source = kernelSource(options);
  const vmlinux = kernel.objects.get('vmlinux')?.count ?? 0;
  const found = [
    vmlinux > 0 && count(vmlinux, 'vmlinux symbol'),
    kernel.exports.size > 0 && count(kernel.exports.size, 'export'),
    kernel.modules.size > 0 && count(kernel.modules.size, 'module'),
    kernel.has.config && '.config',
    kernel.has.source && 'sources',
  ].filter((piece): piece is string => typeof piece === 'string');
  if (source === null) {
    return { state: 'none', description: `no kernel: set klpLens.kernel.buildDir (none installed at /lib/modules/${os.release()}/build)`, source };
  }
  if (found.length === 0) {
    const why = kernel.problems[0]?.message;
    return { state: 'none', description: `nothing read from ${source}${why ? `: ${why}` : ''}`, source };
  }
  return { state: 'ready', description: `${kernel.release ?? 'kernel'}: ${found.join(', ')}; ${rulesSummary(kernel.capabilities)}`, source };
}
