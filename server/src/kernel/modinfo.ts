// A kernel module file (.ko, .ko.xz, .ko.zst): its .modinfo and the symbols that
// klp_find_object_symbol() walks in it once it is loaded.
import { errorMessage, problem, type Problem, type Severity } from '../common/problem';
import { FILE_START } from '../common/range';
import { DEFAULT_LIMITS, type ReadLimits } from '../common/fileRead';
import { readKernelFile, type ReadFile } from './compressed';
import { elfSectionBytes, elfSymbolTable, localSourceFiles, NOT_ELF, parseElf, SHF_ALLOC, SHN_UNDEF, type ElfFile, type ElfResult, type ElfSymbol, type ElfSymbolTable } from './elf';
import { elfSymbolPartsOf, readElfSymbolParts, ScratchBuffer } from './elfSymbolParts';
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

/** The parts of one module file after another are read into it: what is made of them holds strings made from them or a copy, never the buffer. */
const scratch = new ScratchBuffer();

/** What a module file gives when read for the index (moduleIndex.ts): a ModuleFile but its table, kept as the file's symbol parts. */
export interface ModuleParts {
  name: string;
  modinfo: ModInfo;
  problems: Problem[];
  /** The symbol parts of a readable module, laid out as an ELF file (elfSymbolParts.ts): moduleFromBytes() reads its table from them. */
  parts?: Buffer;
}

/**
 * Reads a module file; an IO failure is an 'unreadable-input' problem of the given severity.
 * Of a plain ELF file only the parts the symbol walk and .modinfo need (elfSymbolParts.ts); a
 * compressed one is read whole, and those parts taken from it.
 */
export async function readModuleFile(path: string, severity: Severity = 'error', limits: ReadLimits = DEFAULT_LIMITS, readFile?: ReadFile): Promise<ModuleFile> {
  return withModuleElf(path, severity, limits, readFile, (elf) => moduleFromElf(elf, path));
}

/**
 * readModuleFile() for the index: the table not made, its symbol parts kept instead (a copy the
 * size of what the walk needs), and `keptName` handed the bytes of the name of each symbol the
 * walk keeps (the same name may come twice).
 */
export async function readModuleParts(path: string, severity: Severity, limits: ReadLimits, readFile: ReadFile | undefined, keptName: (bytes: Uint8Array, start: number, end: number) => void): Promise<ModuleParts> {
  return withModuleElf(path, severity, limits, readFile, (elf): ModuleParts => {
    const module = readModule(elf, path);
    if (!('table' in module)) return module;
    const bytes = module.elf.bytes;
    eachKeptName(module, keptName);
    // A buffer of its own (not a slice of Node's pool): it can be sent to another thread (moduleIndex.ts share()).
    const parts = Buffer.allocUnsafeSlow(bytes.length);
    parts.set(bytes);
    return { name: module.name, modinfo: module.modinfo, problems: [], parts };
  });
}

/**
 * `use` given the symbol parts of the file (its .modinfo too), or the module it is when it cannot
 * be read. The parts are in the scratch buffer: `use` is called in the same turn as they are read,
 * so that a reading of another file meanwhile cannot overwrite them.
 */
async function withModuleElf<T>(path: string, severity: Severity, limits: ReadLimits, readFile: ReadFile | undefined, use: (elf: ElfResult<ElfFile>) => T): Promise<T | ModuleFile> {
  const unreadable = (reason: string): ModuleFile => ({
    name: moduleNameOf(path),
    modinfo: NO_MODINFO,
    problems: [problem('unreadable-input', severity, { file: path, range: FILE_START }, `cannot read module ${path}: ${reason}`)],
  });
  const parts = readElfSymbolParts(path, limits.kernelBytes, MODULE_SECTIONS, scratch);
  if (!parts.ok) return unreadable(parts.reason);
  if (parts.value.ok || parts.value.error !== NOT_ELF) return use(parts.value);
  let bytes: Buffer;
  try {
    bytes = await readKernelFile(path, limits, readFile);
  } catch (err) {
    return unreadable(errorMessage(err));
  }
  return use(elfSymbolPartsOf(bytes, MODULE_SECTIONS, scratch));
}

const MODULE_SECTIONS = ['.modinfo'];

/** A module from the (decompressed) bytes of its .ko file, or from its symbol parts (ModuleParts). */
export function moduleFromBytes(bytes: Uint8Array, file: string): ModuleFile {
  return moduleFromElf(parseElf(bytes), file);
}

function moduleFromElf(elf: ElfResult<ElfFile>, file: string): ModuleFile {
  const module = readModule(elf, file);
  if (!('table' in module)) return module;
  return { name: module.name, symbols: walkedSymbols(module, module.table.symbols(), file), modinfo: module.modinfo, problems: [] };
}

interface ReadModule {
  elf: ElfFile;
  table: ElfSymbolTable;
  modinfo: ModInfo;
  /** .modinfo name=, else the file name. */
  name: string;
}

/** The module's symbol table and .modinfo, or the module it is when they cannot be read. */
function readModule(elf: ElfResult<ElfFile>, file: string): ReadModule | ModuleFile {
  if (!elf.ok) return invalidModule(file, elf.error);
  const table = elfSymbolTable(elf.value);
  if (!table.ok) return invalidModule(file, table.error);
  const section = elfSectionBytes(elf.value, '.modinfo');
  const modinfo = section.ok ? parseModinfo(section.value) : NO_MODINFO;
  return { elf: elf.value, table: table.value, modinfo, name: modinfo.name || moduleNameOf(file) };
}

function invalidModule(file: string, error: string): ModuleFile {
  return { name: moduleNameOf(file), modinfo: NO_MODINFO, problems: [problem('parse-error', 'warning', { file, range: FILE_START }, `not a readable kernel module: ${error}`)] };
}

/**
 * The symbols module_kallsyms_on_each_symbol() (kernel/module/kallsyms.c, 6.1) passes to
 * klp_find_callback() for a loaded module, in its order: the module's core kallsyms
 * symtab, which add_kallsyms() fills with the ELF symbols that layout_symtab() keeps, in
 * ELF order, skipping those with st_shndx == SHN_UNDEF.
 */
function walkedSymbols(module: ReadModule, symbols: ElfSymbol[], file: string): ObjectSymbols {
  const walked = newObjectSymbols(module.name, 'elf', file);
  const sourceFiles = localSourceFiles(symbols);
  keptSymbols(module.elf, module.table, module.modinfo.livepatch, (i) => {
    const sym = symbols[i];
    addSymbol(walked, sym.name, sym.value, sym.typeName, sourceFiles[i]);
  });
  return walked;
}

/** Hands `keep` the index of each symbol the loaded module keeps (walkedSymbols()), in ELF order, until it returns true. */
function keptSymbols(elf: ElfFile, table: ElfSymbolTable, livepatch: boolean, keep: (index: number) => boolean | void): void {
  const rule = coreSymbolRule(elf, livepatch);
  for (let i = 0; i < table.count; i++) {
    const shndx = table.shndx(i);
    if (shndx !== SHN_UNDEF && rule(shndx, table.named(i)) && keep(i)) return;
  }
}

/** Hands `name` the bytes of the name of each symbol the module keeps (the same name may come twice), until it returns true. */
function eachKeptName({ elf, table, modinfo }: ReadModule, name: (bytes: Uint8Array, start: number, end: number) => boolean | void): void {
  const bytes = elf.bytes;
  keptSymbols(elf, table, modinfo.livepatch, (i) => {
    const start = table.strtabStart + table.nameOffset(i);
    const nul = bytes.indexOf(0, start);
    return name(bytes, start, nul < 0 || nul > table.strtabEnd ? table.strtabEnd : nul);
  });
}

/** The names of the symbols the module of these symbol parts (ModuleParts) keeps, in ELF order (a name may come twice). */
export function keptNames(parts: Uint8Array, file: string): string[] {
  const module = readModule(parseElf(parts), file);
  const names: string[] = [];
  if ('table' in module) keptSymbols(module.elf, module.table, module.modinfo.livepatch, (i) => void names.push(module.table.name(i)));
  return names;
}

/**
 * Whether the module of these symbol parts (ModuleParts) keeps a symbol named `name`, or, with
 * `clones`, one named `name.` and more: the question of the module index before it is written,
 * answered without making the table (4,023 modules hold `__this_module`). The parts are read
 * once, the names searched at each question.
 */
export function keptNameTest(parts: Uint8Array, file: string): (name: string, clones: boolean) => boolean {
  const module = readModule(parseElf(parts), file);
  if (!('table' in module)) return () => false;
  return (name, clones) => {
    // A name is read as latin1 (elf.ts): none has a character past 0xff.
    if (/[^\x00-\xff]/.test(name)) return false;
    const wanted = clones ? `${name}.` : name;
    let found = false;
    eachKeptName(module, (bytes, start, end) => {
      if (clones ? end - start < wanted.length : end - start !== wanted.length) return false;
      for (let k = 0; k < wanted.length; k++) if (bytes[start + k] !== wanted.charCodeAt(k)) return false;
      return (found = true);
    });
    return found;
  };
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
function coreSymbolRule(elf: ElfFile, livepatch: boolean): (shndx: number, named: boolean) => boolean {
  if (livepatch) return () => true;
  const sections = elf.sections;
  // find_sec(): the first SHF_ALLOC section of that name.
  const findSec = (name: string) => sections.find((s) => s.name === name && (s.flags & SHF_ALLOC) !== 0)?.index;
  const percpu = findSec('.data..percpu');
  const notLoaded = new Set([findSec('.modinfo'), findSec('__versions')]);
  return (shndx, named) => {
    if (shndx >= sections.length || !named) return false;
    if (shndx === percpu) return true;
    const section = sections[shndx];
    return (section.flags & SHF_ALLOC) !== 0 && !notLoaded.has(section.index) && !section.name.startsWith('.init');
  };
}
