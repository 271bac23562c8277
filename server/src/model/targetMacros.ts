// What a livepatch module's compiler defines before its first line, for the target kernel: GCC's
// own macros of the kernel's architecture, kbuild's -D__KERNEL__ and -DMODULE, the .config as
// include/generated/autoconf.h writes it, and LINUX_VERSION_CODE. Module reading evaluates #if
// lines with it.
import type { KernelVersion } from '../kernel/kernelVersion';
import type { KernelContext } from '../kernel/types';
import { versionCode, type Predefined } from '../syntax/cConditions';

/**
 * GCC's predefined macros of each architecture (`gcc -dM -E - </dev/null` for the target: on
 * x86-64 __x86_64__, __x86_64, __amd64__, __amd64), by the .config option that selects it
 * (arch/<dir>/Kconfig).
 */
const ARCH_MACROS: ReadonlyArray<[option: string, macros: readonly string[]]> = [
  ['CONFIG_X86_64', ['__x86_64__', '__x86_64', '__amd64__', '__amd64']],
  ['CONFIG_X86_32', ['__i386__', '__i386', 'i386']],
  ['CONFIG_ARM64', ['__aarch64__']],
  ['CONFIG_ARM', ['__arm__']],
  ['CONFIG_S390', ['__s390__', '__s390x__']],
  ['CONFIG_PPC64', ['__powerpc__', '__powerpc64__', '__PPC__', '__PPC64__', '__ppc64__']],
  ['CONFIG_PPC32', ['__powerpc__', '__PPC__']],
  ['CONFIG_RISCV', ['__riscv']],
  ['CONFIG_LOONGARCH', ['__loongarch__']],
];
/** Without a .config: x86-64, the architecture of the kernels klp-lens reads (klpConvert/convert.ts takes EM_X86_64 only). */
const DEFAULT_ARCH = 'CONFIG_X86_64';
const ALL_ARCH_MACROS = new Set(ARCH_MACROS.flatMap(([, macros]) => macros));

/** The Makefile's KBUILD_CPPFLAGS (-D__KERNEL__), scripts/Makefile.lib's modkern_cflags for a module (-DMODULE), GCC's __linux__. */
const ALWAYS: ReadonlyArray<[string, string]> = [
  ['__KERNEL__', '1'],
  ['MODULE', '1'],
  ['__linux__', '1'],
];

const cache = new WeakMap<KernelContext, Predefined>();

export function predefinedOf(kernel: KernelContext): Predefined {
  let predefined = cache.get(kernel);
  if (!predefined) cache.set(kernel, (predefined = predefinedFromConfig(kernel.has.config ? kernel.config : undefined, kernel.capabilities.version)));
  return predefined;
}

export function predefinedFromConfig(config: ReadonlyMap<string, string> | undefined, version?: KernelVersion): Predefined {
  const values = new Map<string, string>(ALWAYS);
  // Not known without the sublevel (a distribution's ABI release).
  if (version?.sublevel !== undefined) values.set('LINUX_VERSION_CODE', String(versionCode(version.major, version.minor, version.sublevel)));
  const arch = ARCH_MACROS.find(([option]) => config?.get(option) === 'y') ?? (config ? undefined : ARCH_MACROS.find(([option]) => option === DEFAULT_ARCH));
  for (const macro of arch?.[1] ?? []) values.set(macro, '1');
  // include/generated/autoconf.h (scripts/kconfig/confdata.c): y -> CONFIG_X 1, m -> CONFIG_X_MODULE 1,
  // a number as written, a string quoted (no value in #if).
  for (const [option, value] of config ?? []) {
    if (value === 'y') values.set(option, '1');
    else if (value === 'm') values.set(`${option}_MODULE`, '1');
    else values.set(option, /^-?(0x[0-9a-f]+|\d+)$/i.test(value) ? value : JSON.stringify(value));
  }
  return {
    values,
    // An architecture not known here (no option above set) leaves every architecture's macros open.
    undefinedNames: arch ? new Set([...ALL_ARCH_MACROS].filter((m) => !values.has(m))) : new Set(),
    closedPrefixes: config ? ['CONFIG_'] : [],
  };
}
