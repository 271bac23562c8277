// An ELF vmlinux read as the kallsyms table that kallsyms_on_each_symbol()
// (kernel/kallsyms.c) walks, for a build tree that has vmlinux but neither kallsyms nor
// System.map. scripts/link-vmlinux.sh builds that table from `nm -n vmlinux` with
// scripts/kallsyms.c, which drops some symbols (kallsymsTable.ts) and sorts the rest
// again (sort_symbols()); so does this reader, from the ELF symbol table.
import { problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';
import {
  elfSymbols,
  localSourceFiles,
  parseElf,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHT_NOBITS,
  STB_GLOBAL,
  STB_GNU_UNIQUE,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_GNU_IFUNC,
  STT_OBJECT,
  STT_SECTION,
  type ElfFile,
  type ElfResult,
  type ElfSection,
  type ElfSymbol,
} from './elf';
import { inKallsymsTable } from './kallsymsTable';
import { addSymbol, newObjectSymbols } from './objectSymbols';
import type { ObjectSymbols } from './types';

export interface VmlinuxFile {
  /** Absent when the file is not a readable ELF file with a symbol table. */
  symbols?: ObjectSymbols;
  problems: Problem[];
}

/** A symbol as scripts/kallsyms.c reads it from `nm -n`: with nm's type letter. */
interface Listed {
  symbol: ElfSymbol;
  type: string;
}

/** The kallsyms table of vmlinux from the (decompressed) bytes of its ELF file. */
export function vmlinuxFromBytes(bytes: Uint8Array, file: string): VmlinuxFile {
  return vmlinuxFromElf(parseElf(bytes), file);
}

/** The kallsyms table of vmlinux from its read ELF file (whole, or its symbol parts), each local symbol with its source file. */
export function vmlinuxFromElf(read: ElfResult<ElfFile>, file: string): VmlinuxFile {
  if (!read.ok) return unreadable(file, read.error);
  const elf = read.value;
  const table = elfSymbols(elf);
  if (!table.ok) return unreadable(file, table.error);
  const sourceFiles = localSourceFiles(table.value);
  const listed: Listed[] = [];
  for (const symbol of table.value) {
    const type = nmType(elf, symbol);
    if (type !== undefined && inKallsymsTable(symbol.name, type)) listed.push({ symbol, type });
  }
  listed.sort(compareSymbols);
  const walked = newObjectSymbols('vmlinux', 'elf', file);
  for (const { symbol } of listed) addSymbol(walked, symbol.name, symbol.value, symbol.typeName, sourceFiles[symbol.index]);
  return { symbols: walked, problems: [] };
}

function unreadable(file: string, error: string): VmlinuxFile {
  return { problems: [problem('parse-error', 'warning', { file, range: FILE_START }, `not a readable vmlinux: ${error}`)] };
}

/**
 * The order of the kallsyms table. scripts/kallsyms.c compare_symbols(): by address; at
 * one address the weak functions ('W'/'w') last, then the names a linker script may
 * provide last, then fewer leading underscores first, then the input order. The input
 * is `nm -n`, sorted by address then by name (binutils nm numeric_forward(); kbuild
 * exports LC_COLLATE=C, so names compare as bytes, as JavaScript compares these latin1
 * strings); two symbols with one name and one address keep their ELF order.
 * Addresses are hex strings of one width in one file, so they compare as strings.
 */
function compareSymbols(a: Listed, b: Listed): number {
  const x = a.symbol;
  const y = b.symbol;
  if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  return (
    Number(isWeakType(a.type)) - Number(isWeakType(b.type)) ||
    Number(mayBeLinkerScriptProvided(x.name)) - Number(mayBeLinkerScriptProvided(y.name)) ||
    leadingUnderscores(x.name) - leadingUnderscores(y.name) ||
    (x.name === y.name ? x.index - y.index : x.name < y.name ? -1 : 1)
  );
}

function isWeakType(type: string): boolean {
  return type === 'W' || type === 'w';
}

/** scripts/kallsyms.c may_be_linker_script_provide_symbol(): __start_X, __stop_X, __end_X, __X_start, __X_end. */
function mayBeLinkerScriptProvided(name: string): boolean {
  if (name.length < 8 || !name.startsWith('__')) return false;
  return name.startsWith('start_', 2) || name.startsWith('stop_', 2) || name.startsWith('end_', 2) || name.endsWith('_start') || name.endsWith('_end');
}

function leadingUnderscores(name: string): number {
  let n = 0;
  while (name.charCodeAt(n) === 95 /* _ */) n++;
  return n;
}

/**
 * The type letter `nm` prints for an ELF symbol (binutils bfd_decode_symclass()), or
 * undefined for what scripts/kallsyms.c never reads: the null symbol, file and section
 * symbols (debugging symbols, which nm lists only with -a), and undefined symbols (nm
 * prints them without an address, so read_symbol() cannot read their line).
 */
function nmType(elf: ElfFile, symbol: ElfSymbol): string | undefined {
  if (symbol.index === 0 || symbol.type === STT_FILE || symbol.type === STT_SECTION || symbol.shndx === SHN_UNDEF) return undefined;
  if (symbol.shndx === SHN_COMMON) return 'C';
  if (symbol.type === STT_GNU_IFUNC) return 'i';
  if (symbol.bind === STB_WEAK) return symbol.type === STT_OBJECT ? 'V' : 'W';
  if (symbol.bind === STB_GNU_UNIQUE) return 'u';
  if (symbol.bind !== STB_GLOBAL && symbol.bind !== STB_LOCAL) return '?';
  const section = symbol.shndx < SHN_LORESERVE ? elf.sections[symbol.shndx] : undefined;
  const letter = symbol.shndx === SHN_ABS ? 'a' : section ? sectionLetter(section) : '?';
  return symbol.bind === STB_GLOBAL ? letter.toUpperCase() : letter;
}

/**
 * binutils decode_section_type() on the flags BFD gives an ELF section: code, data
 * (loaded: read-only or not), no contents (bss), debugging, other read-only contents.
 */
function sectionLetter(section: ElfSection): string {
  if (section.flags & SHF_EXECINSTR) return 't';
  const write = (section.flags & SHF_WRITE) !== 0;
  if (section.type === SHT_NOBITS) return 'b';
  if (section.flags & SHF_ALLOC) return write ? 'd' : 'r';
  if (section.name.startsWith('.debug')) return 'N';
  return write ? '?' : 'n';
}
