// A kernel module file (.ko, .ko.xz, .ko.zst): its .modinfo and the symbols that
// klp_find_object_symbol() walks in it once it is loaded.
import { errorMessage, problem, type Problem, type Severity } from '../common/problem';
import { FILE_START } from '../common/range';
import { DEFAULT_LIMITS, type ReadLimits } from '../common/fileRead';
import { readKernelFile, type ReadFile } from './compressed';
import { elfSectionBytes, elfSymbols, localSourceFiles, parseElf, SHF_ALLOC, SHN_UNDEF, type ElfFile, type ElfSymbol } from './elf';
import { addSymbol, newObjectSymbols } from './objectSymbols';
import { moduleNameOf, type ModInfo, type ObjectSymbols } from './types';

/**
 * .modinfo: NUL-separated "key=value" strings (include/linux/moduleparam.h __MODULE_INFO).
 * A key read once takes its first value, as get_modinfo() (kernel/module/main.c) does.
 */
export function parseModinfo(bytes: Uint8Array): ModInfo {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const entries: Array<[string, string]> = [];
  for (const item of text.split('\0')) {
    const eq = item.indexOf('=');
    if (eq > 0) entries.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  const first = (key: string): string | undefined => entries.find(([k]) => k === key)?.[1];
  const depends = first('depends');
  return {
    name: first('name'),
    depends: depends ? depends.split(',').filter((d) => d !== '') : [],
    vermagic: first('vermagic'),
    // kernel/module/main.c check_modinfo_livepatch(): the key's presence, whatever its value.
    livepatch: first('livepatch') !== undefined,
    entries,
  };
}

export interface ModuleFile {
  /** .modinfo name=, else the file name with '-' read as '_'. */
  name: string;
  /** Absent when the file is not a readable ELF module. */
  symbols?: ObjectSymbols;
  modinfo: ModInfo;
  problems: Problem[];
}

const NO_MODINFO: ModInfo = { depends: [], livepatch: false, entries: [] };

/** Reads a module file; an IO failure is an 'unreadable-input' problem of the given severity. */
export async function readModuleFile(path: string, severity: Severity = 'error', limits: ReadLimits = DEFAULT_LIMITS, readFile?: ReadFile): Promise<ModuleFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readKernelFile(path, limits, readFile);
  } catch (err) {
    const message = `cannot read module ${path}: ${errorMessage(err)}`;
    return { name: moduleNameOf(path), modinfo: NO_MODINFO, problems: [problem('unreadable-input', severity, { file: path, range: FILE_START }, message)] };
  }
  return moduleFromBytes(bytes, path);
}

/** A module from the (decompressed) bytes of its .ko file. */
export function moduleFromBytes(bytes: Uint8Array, file: string): ModuleFile {
  const invalid = (error: string): ModuleFile => ({
    name: moduleNameOf(file),
    modinfo: NO_MODINFO,
    problems: [problem('parse-error', 'warning', { file, range: FILE_START }, `not a readable kernel module: ${error}`)],
  });
  const elf = parseElf(bytes);
  if (!elf.ok) return invalid(elf.error);
  const table = elfSymbols(elf.value);
  if (!table.ok) return invalid(table.error);
  const section = elfSectionBytes(elf.value, '.modinfo');
  const modinfo = section.ok ? parseModinfo(section.value) : NO_MODINFO;
  const name = modinfo.name || moduleNameOf(file);
  return { name, symbols: walkedSymbols(elf.value, table.value, name, file, modinfo.livepatch), modinfo, problems: [] };
}

/**
 * The symbols module_kallsyms_on_each_symbol() (kernel/module/kallsyms.c, 6.1) passes to
 * klp_find_callback() for a loaded module, in its order: the module's core kallsyms
 * symtab, which add_kallsyms() fills with the ELF symbols that layout_symtab() keeps, in
 * ELF order, skipping those with st_shndx == SHN_UNDEF.
 */
function walkedSymbols(elf: ElfFile, symbols: ElfSymbol[], object: string, file: string, livepatch: boolean): ObjectSymbols {
  const keep = coreSymbolRule(elf, livepatch);
  const walked = newObjectSymbols(object, 'elf', file);
  const sourceFiles = localSourceFiles(symbols);
  for (const sym of symbols) {
    if (sym.shndx !== SHN_UNDEF && keep(sym)) addSymbol(walked, sym.name, sym.value, sym.typeName, sourceFiles[sym.index]);
  }
  return walked;
}

/**
 * kernel/module/kallsyms.c layout_symtab()/add_kallsyms(): a livepatch module keeps every
 * symbol (is_livepatch_module()); any other keeps the is_core_symbol() ones:
 * - a defined symbol with a name, in a real section (st_shndx < e_shnum, so not SHN_ABS);
 * - in the per-cpu section (".data..percpu", find_pcpusec()): kept, as CONFIG_LIVEPATCH
 *   depends on CONFIG_KALLSYMS_ALL (kernel/livepatch/Kconfig);
 * - else only in a section that is SHF_ALLOC once loaded, and not laid out in the init
 *   part (layout_sections(): names starting ".init", module_init_section()). Loading
 *   clears SHF_ALLOC of .modinfo and __versions (rewrite_section_headers()), so their
 *   symbols are dropped. Assumes CONFIG_MODULE_UNLOAD=y (else .exit sections go too).
 */
function coreSymbolRule(elf: ElfFile, livepatch: boolean): (sym: ElfSymbol) => boolean {
  if (livepatch) return () => true;
  const sections = elf.sections;
  // find_sec(): the first SHF_ALLOC section of that name.
  const findSec = (name: string) => sections.find((s) => s.name === name && (s.flags & SHF_ALLOC) !== 0)?.index;
  const percpu = findSec('.data..percpu');
  const notLoaded = new Set([findSec('.modinfo'), findSec('__versions')]);
  return (sym) => {
    if (sym.shndx >= sections.length || sym.name === '') return false;
    if (sym.shndx === percpu) return true;
    const section = sections[sym.shndx];
    return (section.flags & SHF_ALLOC) !== 0 && !notLoaded.has(section.index) && !section.name.startsWith('.init');
  };
}
