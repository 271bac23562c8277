// The exact lines the kernel and the module tools print when a step fails. Kernel
// lines carry their file's pr_fmt prefix ("livepatch: " for kernel/livepatch/*.c,
// "sysfs: " for fs/sysfs/dir.c; "kobject: " for lib/kobject.c where its pr_fmt has it,
// KernelRules.kobjectLogPrefix: not in 6.1, in 6.12).

/** The errno values the simulated steps can fail with. */
export type Errno = 'EINVAL' | 'EEXIST' | 'ENOENT' | 'ENOEXEC';

/** A failure inside the kernel: the errno it returns and the lines it logged. */
export interface KernelFailure {
  errno: Errno;
  log: string[];
}

const ERRNO_VALUE: Record<Errno, number> = { EINVAL: 22, EEXIST: 17, ENOENT: 2, ENOEXEC: 8 };

// kmod tools/insmod.c mod_strerror(): EINVAL reads "Invalid parameters", ENOENT "Unknown symbol
// in module", others strerror().
const INSMOD_STRERROR: Record<Errno, string> = {
  EINVAL: 'Invalid parameters',
  EEXIST: 'File exists',
  ENOENT: 'Unknown symbol in module',
  ENOEXEC: 'Exec format error',
};

// kernel/livepatch/core.c klp_enable_patch()
export const notLivepatchModule = (mod: string) => `livepatch: module ${mod} is not marked as a livepatch module`;

// kernel/livepatch/core.c klp_enable_patch()
export const notCompatible = (mod: string) =>
  `livepatch: Livepatch patch (${mod}) is not compatible with the already installed livepatches.`;

// kernel/livepatch/core.c klp_find_object_symbol()
export const symbolNotFound = (name: string) => `livepatch: symbol '${name}' not found in symbol table`;

/** `objname` is NULL for vmlinux here, and printk's %s prints NULL as "(null)". */
export const symbolAmbiguous = (name: string, objname: string | null) =>
  `livepatch: unresolvable ambiguity for symbol '${name}' in object '${objname ?? '(null)'}'`;

export const symbolPositionNotFound = (sympos: number, name: string, object: string) =>
  `livepatch: symbol position ${sympos} for symbol '${name}' in object '${object}' not found`;

// kernel/livepatch/core.c klp_resolve_symbols()
export const invalidAccessToVmlinux = (name: string) =>
  `livepatch: invalid access to vmlinux symbol '${name}' from module-specific livepatch relocation section`;

/**
 * arch/x86/kernel/module.c __apply_relocate_add() (pr_fmt is the file's KBUILD_MODNAME, "module").
 * The place and the value are addresses of the running kernel, written here as "…"; the type is
 * "?" when the relocation is not known (a module read from its source).
 */
export const invalidRelocationTarget = (type: number | undefined) =>
  `module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type ${type ?? '?'}, loc …, val …`;

const LOGGED_RELOCATION_LINE = /^(module: x86\/modules: Skipping invalid relocation target, existing value is nonzero for type )(\d+), loc \S+, val \S+$/;

/** Whether a line the kernel logged is the one the simulator wrote, the addresses (and a type it did not know) aside. */
export function isSimulatedLine(simulated: string, logged: string): boolean {
  if (simulated === logged) return true;
  const m = LOGGED_RELOCATION_LINE.exec(logged);
  return !!m && (simulated === `${m[1]}${m[2]}, loc …, val …` || simulated === `${m[1]}?, loc …, val …`);
}

// kernel/livepatch/patch.c klp_patch_func()
export const noFtraceLocation = (name: string) => `livepatch: failed to find location for function '${name}'`;

// kernel/livepatch/core.c __klp_enable_patch()
export const failedToPatchObject = (object: string) => `livepatch: failed to patch object '${object}'`;
export const failedToEnablePatch = (patch: string) => `livepatch: failed to enable patch '${patch}'`;

// kernel/livepatch/core.c klp_module_coming()
export const failedToApplyPatch = (patch: string, mod: string, errno: Errno) =>
  `livepatch: failed to apply patch '${patch}' to module '${mod}' (-${ERRNO_VALUE[errno]})`;

// fs/sysfs/dir.c sysfs_warn_dup(), then lib/kobject.c kobject_add_internal()
export function duplicateDirectory(parentPath: string, name: string, kobjectPrefix: boolean): string[] {
  return [
    `sysfs: cannot create duplicate filename '${parentPath}/${name}'`,
    `${kobjectPrefix ? 'kobject: ' : ''}kobject_add_internal failed for ${name} with -EEXIST, don't try to register things with the same name in the same directory.`,
  ];
}

// kernel/livepatch/core.c klp_module_coming()
export const vmlinuxInvalidModuleName = 'livepatch: vmlinux.ko: invalid module name';

export const failedToInitializeForModule = (patch: string, mod: string, errno: Errno) =>
  `livepatch: failed to initialize patch '${patch}' for module '${mod}' (-${ERRNO_VALUE[errno]})`;

export const refusingModule = (patch: string, mod: string) =>
  `livepatch: patch '${patch}' failed for module '${mod}', refusing to load module '${mod}'`;

// kmod tools/insmod.c
export const insmodFailed = (mod: string, errno: Errno) =>
  `insmod: ERROR: could not insert module ${mod}.ko: ${INSMOD_STRERROR[errno]}`;

// kmod tools/insmod.c: kmod_module_new_from_path() fails on a file that does not exist
export const insmodNoFile = (mod: string) => `insmod: ERROR: could not load module ${mod}.ko: No such file or directory`;

// kernel/module/main.c simplify_symbols(), for an import whose exporter is not loaded
export const unknownSymbol = (mod: string, symbol: string) => `${mod}: Unknown symbol ${symbol} (err -2)`;

// kmod tools/rmmod.c check_module_inuse()
export const rmmodInUse = (mod: string) => `rmmod: ERROR: Module ${mod} is in use`;
export const rmmodInUseBy = (mod: string, holders: string[]) =>
  `rmmod: ERROR: Module ${mod} is in use by: ${holders.join(' ')}`;
export const rmmodNotLoaded = (mod: string) => `rmmod: ERROR: Module ${mod} is not currently loaded`;

/**
 * `echo 0 > /sys/kernel/livepatch/<p>/enabled` for a patch without a sysfs directory:
 * never loaded, or already disabled or replaced (6.1 frees those patches and their
 * directory, kernel/livepatch/transition.c klp_try_complete_transition()).
 */
export const noEnabledFile = (patch: string) =>
  `bash: /sys/kernel/livepatch/${patch}/enabled: No such file or directory`;

/** Not a kernel message: an unload-module step named a livepatch module. */
export const isLivepatchModule = (mod: string) =>
  `${mod} is a livepatch module: remove it with an 'unload' step, not 'unload-module'`;

/** The kernel's lines and then the insmod line, as one message. */
export function insmodMessage(mod: string, failure: KernelFailure): string {
  return [...failure.log, insmodFailed(mod, failure.errno)].join('\n');
}
