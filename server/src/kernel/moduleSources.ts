// The object a kernel source file is built into, from the kernel's artifacts alone (no source
// tree). kbuild compiles `<dir>/<base>.c` into `<dir>/<base>.o`, and a module at `<dir>/<base>.ko`
// (as modules.order or modules.builtin list it, or as Module.symvers names the module of an
// export) is that object itself: `obj-m += base.o` (scripts/Makefile.build). A composite module
// cannot list its own name among its parts (scripts/Makefile.lib refuses "foo-y := foo.o"), so a
// file of the module's name is the single-file module. A module built in is part of vmlinux.
// Otherwise the names the file defines decide: the object Module.symvers says exports one of
// them (an export's name is unique in the kernel: modpost refuses a second), or the one object
// whose symbol table holds its functions (vmlinux from kallsyms or System.map, each module from
// its .ko). When nothing decides, the object is `unknown`, with the reason.
import * as path from 'node:path';
import type { Memo } from '../common/memo';
import type { KernelContext, ObjectResolution } from './types';
import { exportingModules } from './symvers';

interface ArtifactObject {
  object: string;
  reason: string;
}

/** What a source file (or the part of it a patch shows) defines. */
export interface DefinedNames {
  /** The functions and variables it defines, by the names of their symbols; static ones are local to its object. */
  symbols: ReadonlyArray<{ name: string; isStatic: boolean }>;
  /** The names its EXPORT_SYMBOL*() lines export. */
  exports: readonly string[];
}

/** A table's functions this many or more make a vmlinux answer safe even when some modules' tables are unknown. */
const MANY = 3;

/** The module `sourcePath` (a path inside the tree, e.g. 'net/sctp/sctp_diag.c') is compiled into, when the artifacts decide it. */
function singleFileModule(memo: Memo, kernel: KernelContext, sourcePath: string): ArtifactObject | undefined {
  const stem = sourcePath.replace(/\.c$/, '');
  const found = stem === sourcePath ? undefined : memo.get(modulesByStem, kernel).get(stem);
  if (!found) return undefined;
  const { name, from } = found;
  return kernel.modules.get(name)?.builtin
    ? { object: 'vmlinux', reason: `${from} names module ${name} at ${stem}, built from ${sourcePath} alone, and it is built into vmlinux (modules.builtin)` }
    : { object: name, reason: `${from} names module ${name} at ${stem}: built from ${sourcePath} alone` };
}

/** The object of `sourcePath` from the kernel's artifacts and the names the file defines; `unknown` with the reason when they do not decide. */
export function objectFromArtifacts(memo: Memo, kernel: KernelContext, sourcePath: string, defined: DefinedNames): ObjectResolution {
  const place = placeFrom(memo, kernel, sourcePath);
  const globals = defined.symbols.filter((f) => !f.isStatic).map((f) => f.name);
  const found =
    exporterOf(kernel, defined.exports, 'exported by its EXPORT_SYMBOL') ??
    exporterOf(kernel, globals, 'a global symbol defined in this file', (o) => place(o) === 'inside') ??
    singleFileModule(memo, kernel, sourcePath) ??
    holderOf(kernel, [...new Set(defined.symbols.map((f) => f.name))], place);
  if ('object' in found) return { file: sourcePath, ...builtinAsVmlinux(found, kernel) };
  return { file: sourcePath, object: 'unknown', reason: found.why };
}

/**
 * The one object Module.symvers says exports any of `names` (an export's name is unique in the
 * kernel: modpost refuses a second), among the objects `allowed` (a global function of the same
 * name as another module's export may be a copy of it: drivers/scsi/fnic's vnic_dev.c and enic's).
 */
function exporterOf(kernel: KernelContext, names: readonly string[], what: string, allowed: (object: string) => boolean = () => true): ArtifactObject | undefined {
  const exporters = new Map<string, string>();
  for (const name of names) {
    const e = kernel.exports.get(name);
    if (e && allowed(e.object) && !exporters.has(e.object)) exporters.set(e.object, name);
  }
  if (exporters.size !== 1) return undefined;
  const [[object, name]] = exporters;
  return { object, reason: `\`${name}\`, ${what}, is exported by ${object} (Module.symvers)` };
}

/** Where an object is from a source file: vmlinux, or a module built in its directories or one whose place is not known; a module of a sibling directory; any other. */
type Place = 'inside' | 'beside' | 'far';

/**
 * Where each module is from the file (`sourcePath`), by where its .ko is built: a composite
 * module lists its parts in its directory and below (scripts/Makefile.build builds
 * `<dir>/<module>.ko` from the Makefile of <dir>); a module of a sibling directory may list parts
 * by a `../` path (amdgpu's `../display/`). A module whose place is not known cannot be ruled out.
 */
function placeFrom(memo: Memo, kernel: KernelContext, sourcePath: string): (object: string) => Place {
  const dir = parentOf(sourcePath);
  const within = (d: string) => d === '' || dir === d || dir.startsWith(`${d}/`);
  const dirs = memo.get(moduleDirs, memo.get(modulesByStem, kernel));
  return (object) => {
    const moduleDir = dirs.get(object);
    if (object === 'vmlinux' || moduleDir === undefined || within(moduleDir)) return 'inside';
    return within(parentOf(moduleDir)) ? 'beside' : 'far';
  };
}

/**
 * The object whose symbol table holds the file's functions (or their compiler clones): among
 * vmlinux and the modules inside the file's directories (those beside them only when none inside
 * holds any: kernel drivers copy each other's code, hfsplus's bnode.c has hfs's function names),
 * the one holding more than twice as many as any other and one that no other holds. With some
 * modules' tables unknown (a module could hold them too), vmlinux needs MANY of them, or all.
 */
function holderOf(kernel: KernelContext, names: readonly string[], place: (object: string) => Place): ArtifactObject | { why: string } {
  const held = new Map<string, string[]>();
  // A compiler clone `foo.isra.0` counts as `foo`.
  for (const name of names) for (const object of kernel.objects.holders(name, true)) held.set(object, [...(held.get(object) ?? []), name]);
  if (held.size === 0) return { why: whyNoHolder(kernel, names) };
  const insideHolds = [...held.keys()].some((o) => o !== 'vmlinux' && place(o) === 'inside');
  const candidates = [...held].filter(([o]) => o === 'vmlinux' || place(o) === (insideHolds ? 'inside' : 'beside')).sort((a, b) => b[1].length - a[1].length);
  const [first, second] = candidates;
  const unique = first?.[1].find((n) => candidates.every(([o, ns]) => o === first[0] || !ns.includes(n)));
  const partial = [...kernel.modules.values()].some((m) => !m.builtin && !kernel.objects.has(m.name));
  // One symbol of many may share its name by chance (selftest_migrate.c's static `sizes`); a module
  // beside the file's directory must hold two and most of them; vmlinux, when some module's table
  // is unknown, MANY or all.
  const count = first?.[1].length ?? 0;
  const enough =
    first && place(first[0]) === 'beside' ? count >= 2 && 2 * count > names.length : (count >= 2 || names.length <= 2) && (!partial || count >= MANY || count === names.length);
  if (first && unique && enough && (!second || count > 2 * second[1].length)) {
    const [object, mine] = first;
    const also = second ? `; ${second[0]} holds only ${second[1].length}` : '';
    // Read now from the module index, it may turn out damaged (and is reported).
    const file = kernel.objects.get(object)?.file;
    return { object, reason: `${mine.length} of its ${names.length} symbols (\`${unique}\` among them) are in the symbol table of ${object}${file ? ` (${file})` : ''}${also}` };
  }
  const list = [...held].sort((a, b) => b[1].length - a[1].length).slice(0, 3).map(([o, n]) => `${o} (${n.length})`).join(', ');
  return { why: `the symbol tables do not decide: its symbols are in ${list}${partial ? "; some modules' tables are unknown" : ''}` };
}

function whyNoHolder(kernel: KernelContext, names: readonly string[]): string {
  if (kernel.objects.size === 0 && kernel.exports.size === 0 && kernel.modules.size === 0) return 'no kernel source tree: give --source DIR or --kernel DIR';
  if (names.length === 0) return 'no symbol the file defines is known to look up in the symbol tables';
  if (kernel.objects.size === 0) return 'no kernel source tree and no symbol tables: give --source DIR, or --kernel DIR with System.map or kallsyms and the .ko files';
  const unknown = [...kernel.modules.values()].filter((m) => !m.builtin && !kernel.objects.has(m.name)).length;
  const hint = unknown > 0 ? `; the symbol tables of ${unknown} modules are not known: give the kernel's .ko files (--modules DIR)` : '';
  return `no symbol table holds its symbols (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})${hint}`;
}

/** A module listed in modules.builtin is part of vmlinux. */
function builtinAsVmlinux(r: ArtifactObject, kernel: KernelContext): ArtifactObject {
  if (r.object !== 'vmlinux' && kernel.modules.get(r.object)?.builtin) {
    return { object: 'vmlinux', reason: `${r.reason}; ${r.object} is built into vmlinux (modules.builtin)` };
  }
  return r;
}

/** The directory each module's .ko is built in, when its path is known. */
function moduleDirs(byStem: ReadonlyMap<string, { name: string }>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [stem, { name }] of byStem) index.set(name, parentOf(stem));
  return index;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** A module's path: `kernel/` and the `.ko` (and a compression suffix) left out of its stem, $1. */
const KO_STEM = /^(?:kernel\/)?(.*?)(?:\.ko(?:\.\w+)?)?$/s;

/** Each module's path without `kernel/` and `.ko`, from the module lists and Module.symvers. */
function modulesByStem(kernel: KernelContext): Map<string, { name: string; from: string }> {
  const index = new Map<string, { name: string; from: string }>();
  for (const [modulePath, name] of exportingModules(kernel.exports)) index.set(modulePath, { name, from: 'Module.symvers' });
  for (const info of kernel.modules.values()) {
    if (info.path === undefined) continue;
    const stem = (path.sep === '/' ? info.path : info.path.split(path.sep).join('/')).replace(KO_STEM, '$1');
    if (stem.includes('/')) index.set(stem, { name: info.name, from: info.builtin ? 'modules.builtin' : 'modules.order' });
  }
  return index;
}
