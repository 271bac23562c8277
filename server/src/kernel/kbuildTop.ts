// What the top Makefile gives every directory's kbuild file: the architecture, the variables
// it exports to the sub-makes that read them (scripts/Makefile.build runs as `$(MAKE) -f
// $(srctree)/scripts/Makefile.build obj=<dir>`: only exported variables reach it), and the
// directory lists it links into vmlinux.
import type { Entry } from './kbuildLists';
import { evaluateMakefile, type MakefileValues } from './makefileEval';

// The top Makefile's lists of directories linked into vmlinux: in 6.1 `core-y`, `drivers-y`
// and `libs-y := lib/` reach the top Kbuild as $(ARCH_CORE), $(ARCH_DRIVERS), $(ARCH_LIB);
// before 5.x they made `vmlinux-dirs` with init-y, net-y and virt-y.
const TOP_LISTS = ['init-y', 'core-y', 'drivers-y', 'drivers-m', 'net-y', 'libs-y', 'virt-y'];
// The top Makefile's conditionals on how make was invoked, set as for a plain `make` of vmlinux
// in the source tree (Makefile: `srctree := .` when not building out of it).
const TOP_PRESETS: ReadonlyArray<[string, string]> = [
  ['KBUILD_EXTMOD', ''],
  ['need-sub-make', ''],
  ['mixed-build', ''],
  ['config-build', ''],
  ['srctree', '.'],
  ['objtree', '.'],
];
// Each architecture's own option (the `config <NAME>` with `def_bool y` of arch/<dir>/Kconfig)
// and its directory: the top Makefile's SRCARCH (`SRCARCH := $(ARCH)`, x86_64 and i386 being x86).
const ARCHES: ReadonlyArray<[string, string]> = [
  ['CONFIG_X86', 'x86'],
  ['CONFIG_ARM64', 'arm64'],
  ['CONFIG_ARM', 'arm'],
  ['CONFIG_PPC', 'powerpc'],
  ['CONFIG_S390', 's390'],
  ['CONFIG_RISCV', 'riscv'],
  ['CONFIG_MIPS', 'mips'],
  ['CONFIG_LOONGARCH', 'loongarch'],
  ['CONFIG_SPARC', 'sparc'],
  ['CONFIG_PARISC', 'parisc'],
  ['CONFIG_SUPERH', 'sh'],
  ['CONFIG_UML', 'um'],
  ['CONFIG_ALPHA', 'alpha'],
  ['CONFIG_ARC', 'arc'],
  ['CONFIG_CSKY', 'csky'],
  ['CONFIG_HEXAGON', 'hexagon'],
  ['CONFIG_IA64', 'ia64'],
  ['CONFIG_M68K', 'm68k'],
  ['CONFIG_MICROBLAZE', 'microblaze'],
  ['CONFIG_NIOS2', 'nios2'],
  ['CONFIG_OPENRISC', 'openrisc'],
  ['CONFIG_XTENSA', 'xtensa'],
];

export interface TopLevel {
  /** The variables every directory's kbuild file sees from its environment. */
  environment: Map<string, string>;
  /** The top Makefile's directory lists, each word as an obj-y entry of the top directory. */
  entries: Entry[];
}

/** The architecture the .config was made for, as `make ARCH=` names its directory; undefined without a .config or when none is set. */
export function srcarchOf(config: ReadonlyMap<string, string> | undefined): string | undefined {
  return ARCHES.find(([option]) => config?.get(option) === 'y')?.[1];
}

/** `read` reads a file of the source tree by its path in the tree (kbuild.ts KbuildReader). */
export function topLevel(config: ReadonlyMap<string, string> | undefined, read: (relativePath: string) => string | undefined): TopLevel {
  const arch = srcarchOf(config);
  const archVars: Array<[string, string]> = arch ? [['ARCH', arch]] : [];
  const text = read('Makefile');
  const values: MakefileValues | undefined =
    text === undefined ? undefined : evaluateMakefile(text, 'Makefile', { config, presets: new Map([...TOP_PRESETS, ...archVars]), read });
  const environment = new Map([...archVars, ...(arch ? [['SRCARCH', arch] as [string, string]] : []), ...(values?.exported() ?? [])]);
  const entries = TOP_LISTS.flatMap((name) => values?.words(name) ?? []).map((word): Entry => ({ kind: 'obj-y', word, object: 'vmlinux', via: [word], doubt: word.doubt }));
  return { environment, entries };
}
