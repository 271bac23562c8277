import type { Problem } from '../common/problem';
import { NEWEST, type KernelCapabilities } from './capabilities';
import { ObjectTables } from './objectTables';

/** One line of Module.symvers. */
export interface ExportedSymbol {
  symbol: string;
  crc: string;
  /** 'vmlinux', or the module name: basename of the path with '-' read as '_'. */
  object: string;
  /** The path column as written (e.g. 'drivers/cdrom/cdrom' or 'vmlinux'). */
  path: string;
  /** EXPORT_SYMBOL, EXPORT_SYMBOL_GPL, ... */
  exportType: string;
  namespace: string;
}

export type { ObjectSymbols, SymbolEntry, SymbolSource } from './objectTables';

/** What is known of a module of the target kernel. */
export interface ModuleInfo {
  name: string;
  /** Path of its .ko (relative to the modules dir, or as found), when known. */
  path?: string;
  /** Built into vmlinux (modules.builtin): never loaded as a module, its symbols are vmlinux's. */
  builtin: boolean;
  /** From .modinfo when the .ko was read. */
  depends?: string[];
  vermagic?: string;
  livepatch?: boolean;
}

/** .modinfo of an ELF module. */
export interface ModInfo {
  name?: string;
  depends: string[];
  vermagic?: string;
  livepatch: boolean;
  /** Every key=value pair in order (keys may repeat, e.g. alias). */
  entries: Array<[string, string]>;
}

/** Which object a kernel source file is built into. */
export interface ObjectResolution {
  file: string;
  /** 'vmlinux', a module name, or 'unknown'. */
  object: string;
  /** Why: the Makefile line that decided, or why it cannot tell. */
  reason: string;
  /** True when the kbuild files and the .config say the file is compiled into nothing (object is then 'unknown'). */
  notBuilt?: boolean;
  /**
   * The target `make` builds the file's object as, when not `dir/file.o`: under the directory
   * whose kbuild file lists it (`drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.o`), or the
   * object of the .c file that #includes it.
   */
  makeTarget?: string;
}

export interface KbuildResolver {
  /** `file` is a path to a kernel source file (absolute, or relative to the source root). */
  resolve(file: string): ObjectResolution;
}

/**
 * Everything klp-lens knows of the target kernel. Every piece is optional;
 * `has` says which pieces were found so that checks can degrade honestly.
 */
export interface KernelContext {
  release?: string;
  exports: Map<string, ExportedSymbol>;
  /** Symbol tables by object name ('vmlinux' and module names). */
  objects: ObjectTables;
  /** Known modules of the kernel by name (from modules.order, modules.builtin, Module.symvers, .ko files, kallsyms [mod]). */
  modules: Map<string, ModuleInfo>;
  /** .config, CONFIG_X -> value ('y', 'm', a string or number); unset options absent. */
  config?: Map<string, string>;
  /** The file the .config was read from (maybe compressed: config.xz). */
  configFile?: string;
  /** The kernel source tree, when known. */
  sourceDir?: string;
  kbuild?: KbuildResolver;
  has: {
    symvers: boolean;
    vmlinuxSymbols: boolean;
    moduleList: boolean;
    config: boolean;
    source: boolean;
  };
  /** What its livepatch core does where kernels differ (capabilities.ts): the newest behaviour until the load decides. */
  capabilities: KernelCapabilities;
  /** Problems met while reading the pieces (unreadable files, malformed lines). */
  problems: Problem[];
}

export function emptyKernelContext(): KernelContext {
  return {
    exports: new Map(),
    objects: new ObjectTables(),
    modules: new Map(),
    has: { symvers: false, vmlinuxSymbols: false, moduleList: false, config: false, source: false },
    capabilities: NEWEST,
    problems: [],
  };
}

/** Module names as the kernel shows them: kbuild turns '-' into '_'. */
export function moduleNameOf(fileOrPath: string): string {
  const base = fileOrPath.split('/').pop() ?? fileOrPath;
  return base.replace(/\.(ko|o|c|patch|diff)(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}
