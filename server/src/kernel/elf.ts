// A small ELF reader: the header, the section headers, the symbol table in file order
// and a section's bytes. ELF32 and ELF64, either byte order (include/uapi/linux/elf.h).
// Every read is bounds-checked: truncated or garbage input gives { ok: false, error }.
//
// Values that are addresses (st_value, sh_addr) are kept as hex strings, because a
// 64-bit address does not fit a JavaScript number exactly. Sizes and offsets are
// numbers; one past Number.MAX_SAFE_INTEGER is refused as garbage.

export type ElfResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  /** The low 32 bits of sh_flags, where every SHF_* flag of the ABI lives. */
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface ElfSymbol {
  /** Index in the symbol table (0 is the null symbol). */
  index: number;
  name: string;
  /** st_value as hex without 0x, 16 digits for ELF64 and 8 for ELF32. */
  value: string;
  size: number;
  /** STT_* number and its readelf name (NOTYPE, OBJECT, FUNC, SECTION, FILE, ...). */
  type: number;
  typeName: string;
  /** STB_* number and its readelf name (LOCAL, GLOBAL, WEAK, ...). */
  bind: number;
  bindName: string;
  /** st_shndx as written (SHN_UNDEF, a section index, SHN_ABS, SHN_XINDEX, ...). */
  shndx: number;
  /** The section's name; 'UND', 'ABS' or 'COM' for those special indices; '' when unknown. */
  section: string;
  /** The index of the section it is defined in (st_shndx, or its SHT_SYMTAB_SHNDX entry); -1 for special indices. */
  sectionIndex: number;
}

/** One entry of a SHT_RELA (or SHT_REL, addend 0) section. */
export interface ElfRelocation {
  offset: number;
  /** ELF64_R_TYPE / ELF32_R_TYPE (R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4, ...). */
  type: number;
  /** Index in the symbol table the section's sh_link names. */
  symbol: number;
  /** r_addend as a signed number (a relocatable object's addends are small). */
  addend: number;
}

export interface ElfFile {
  bytes: Uint8Array;
  is64: boolean;
  littleEndian: boolean;
  /** e_type (1 = relocatable, as .ko files are) and e_machine. */
  type: number;
  machine: number;
  sections: ElfSection[];
}

export const SHT_SYMTAB = 2;
export const SHT_RELA = 4;
export const SHT_REL = 9;
export const SHT_NOBITS = 8;
export const SHT_SYMTAB_SHNDX = 18;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
const SHN_XINDEX = 0xffff;
export const STT_OBJECT = 1;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_GNU_IFUNC = 10;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;

const TYPE_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'];
const BIND_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'];

function fail<T>(error: string): ElfResult<T> {
  return { ok: false, error };
}

/** Bounds-checked reads of one file in its byte order. */
class Reader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fits(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.bytes.length;
  }

  u16(at: number): number {
    return this.view.getUint16(at, this.le);
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }

  /** The low half of a 64-bit field. */
  low32(at: number): number {
    return this.view.getUint32(at + (this.le ? 0 : 4), this.le);
  }

  /** A 64-bit field as a number, or NaN past 2^53. */
  u64(at: number): number {
    const lo = this.view.getUint32(at + (this.le ? 0 : 4), this.le);
    const hi = this.view.getUint32(at + (this.le ? 4 : 0), this.le);
    return hi < 0x200000 ? hi * 0x100000000 + lo : NaN;
  }

  i32(at: number): number {
    return this.view.getInt32(at, this.le);
  }

  /** A signed 64-bit field as a number (exact within ±2^53). */
  i64(at: number): number {
    return Number(this.view.getBigInt64(at, this.le));
  }

  hex64(at: number): string {
    const lo = this.view.getUint32(at + (this.le ? 0 : 4), this.le);
    const hi = this.view.getUint32(at + (this.le ? 4 : 0), this.le);
    // The values of a .ko are section offsets: most are 0, none has high bits.
    if (hi === 0) return lo === 0 ? '0000000000000000' : '00000000' + hex8(lo);
    return hex8(hi) + hex8(lo);
  }
}

/** parseElf()'s error for bytes without the ELF magic (compressed data, text). */
export const NOT_ELF = 'not an ELF file';

/** The section headers of an ELF file. */
export function parseElf(bytes: Uint8Array): ElfResult<ElfFile> {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    return fail(NOT_ELF);
  }
  const elfClass = bytes[4];
  const data = bytes[5];
  if (elfClass !== 1 && elfClass !== 2) return fail(`unknown ELF class ${elfClass}`);
  if (data !== 1 && data !== 2) return fail(`unknown ELF data encoding ${data}`);
  const is64 = elfClass === 2;
  if (is64 && bytes.length < 64) return fail('truncated ELF header');
  const r = new Reader(bytes, data === 1);
  const shoff = is64 ? r.u64(0x28) : r.u32(0x20);
  const shentsize = r.u16(is64 ? 0x3a : 0x2e);
  let shnum = r.u16(is64 ? 0x3c : 0x30);
  let shstrndx = r.u16(is64 ? 0x3e : 0x32);
  const minEntsize = is64 ? 64 : 40;
  const header = { bytes, is64, littleEndian: data === 1, type: r.u16(0x10), machine: r.u16(0x12) };
  if (shoff === 0) return { ok: true, value: { ...header, sections: [] } };
  if (shentsize < minEntsize) return fail(`section header size ${shentsize} is too small`);
  if (!r.fits(shoff, shentsize)) return fail('section headers out of the file');
  // gABI: with 0xff00 sections or more, e_shnum is 0 and section 0 holds the real count
  // in sh_size, and e_shstrndx is SHN_XINDEX with the real index in section 0's sh_link.
  if (shnum === 0) shnum = is64 ? r.u64(shoff + 0x20) : r.u32(shoff + 0x14);
  if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + (is64 ? 0x28 : 0x18));
  if (!(shnum > 0) || !r.fits(shoff, shnum * shentsize)) return fail('section headers out of the file');

  const sections: ElfSection[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    nameOffsets.push(r.u32(at));
    sections.push({
      index: i,
      name: '',
      type: r.u32(at + 4),
      flags: is64 ? r.low32(at + 8) : r.u32(at + 8),
      offset: is64 ? r.u64(at + 0x18) : r.u32(at + 0x10),
      size: is64 ? r.u64(at + 0x20) : r.u32(at + 0x14),
      link: r.u32(at + (is64 ? 0x28 : 0x18)),
      info: r.u32(at + (is64 ? 0x2c : 0x1c)),
      entsize: is64 ? r.u64(at + 0x38) : r.u32(at + 0x24),
    });
  }
  const names = sections[shstrndx];
  if (shstrndx !== 0 && names) {
    if (!sectionFits(r, names)) return fail('section name table out of the file');
    const table = latin1(bytes, names.offset, names.size);
    for (let i = 0; i < shnum; i++) sections[i].name = cString(table, nameOffsets[i]);
  }
  return { ok: true, value: { ...header, sections } };
}

/**
 * The symbol table (SHT_SYMTAB) read in place: each symbol's fields by its index, no object
 * made (a full kernel's modules hold 828,000 symbols; elfSymbols() makes one of each).
 */
export class ElfSymbolTable {
  readonly count: number;
  /** The symbol name table as latin1 text, made when a name is first asked for. */
  private text: string | undefined;

  constructor(
    private readonly elf: ElfFile,
    private readonly r: Reader,
    private readonly symtab: ElfSection,
    private readonly strtab: ElfSection,
    private readonly xindex: ElfSection | undefined,
  ) {
    this.count = Math.floor(symtab.size / this.entsize);
  }

  private get entsize(): number {
    return this.elf.is64 ? 24 : 16;
  }

  private at(i: number): number {
    return this.symtab.offset + i * this.entsize;
  }

  /** st_name: the name's offset in the name table. */
  nameOffset(i: number): number {
    return this.r.u32(this.at(i));
  }

  name(i: number): string {
    return cString((this.text ??= latin1(this.elf.bytes, this.strtab.offset, this.strtab.size)), this.nameOffset(i));
  }

  /** Whether the name is not empty (cString() of its offset). */
  named(i: number): boolean {
    const offset = this.nameOffset(i);
    return offset < this.strtab.size && this.elf.bytes[this.strtab.offset + offset] !== 0;
  }

  /** The bytes of the name table: a name is those from strtabStart + nameOffset(i) to the first NUL (or strtabEnd). */
  get strtabStart(): number {
    return this.strtab.offset;
  }

  get strtabEnd(): number {
    return this.strtab.offset + this.strtab.size;
  }

  info(i: number): number {
    return this.elf.bytes[this.at(i) + (this.elf.is64 ? 4 : 12)];
  }

  /** st_shndx as written. */
  shndx(i: number): number {
    return this.r.u16(this.at(i) + (this.elf.is64 ? 6 : 14));
  }

  /** Every symbol, in file order. */
  symbols(): ElfSymbol[] {
    const symbols: ElfSymbol[] = new Array(this.count);
    for (let i = 0; i < symbols.length; i++) symbols[i] = this.symbol(i);
    return symbols;
  }

  symbol(i: number): ElfSymbol {
    const at = this.at(i);
    const is64 = this.elf.is64;
    const info = this.info(i);
    const type = info & 0xf;
    const bind = info >> 4;
    const symbol: ElfSymbol = {
      index: i,
      name: this.name(i),
      value: is64 ? this.r.hex64(at + 8) : hex8(this.r.u32(at + 4)),
      size: is64 ? this.r.u64(at + 16) : this.r.u32(at + 8),
      type,
      typeName: TYPE_NAMES[type] ?? (type === STT_GNU_IFUNC ? 'IFUNC' : String(type)),
      bind,
      bindName: BIND_NAMES[bind] ?? (bind === STB_GNU_UNIQUE ? 'UNIQUE' : String(bind)),
      shndx: this.shndx(i),
      section: '',
      sectionIndex: -1,
    };
    setSection(symbol, this.elf, this.r, this.xindex);
    return symbol;
  }
}

/** The symbol table of the file, checked to lie in it. */
export function elfSymbolTable(elf: ElfFile): ElfResult<ElfSymbolTable> {
  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return fail('no symbol table');
  const r = new Reader(elf.bytes, elf.littleEndian);
  const entsize = elf.is64 ? 24 : 16;
  if (symtab.entsize !== 0 && symtab.entsize !== entsize) return fail(`symbol size ${symtab.entsize}, expected ${entsize}`);
  if (!sectionFits(r, symtab)) return fail('symbol table out of the file');
  const strtab = elf.sections[symtab.link];
  if (!strtab || !sectionFits(r, strtab)) return fail('symbol name table out of the file');
  const xindex = elf.sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === symtab.index);
  return { ok: true, value: new ElfSymbolTable(elf, r, symtab, strtab, xindex) };
}

/** The symbols of the symbol table (SHT_SYMTAB), in file order. */
export function elfSymbols(elf: ElfFile): ElfResult<ElfSymbol[]> {
  const table = elfSymbolTable(elf);
  return table.ok ? { ok: true, value: table.value.symbols() } : table;
}

/**
 * The source file of each local symbol, by symbol index: the name of the STT_FILE symbol
 * before it. A linker keeps each input object's locals after its STT_FILE symbol, as
 * kpatch-build's lookup.c (find_local_syms()) reads them from vmlinux; the globals, unique
 * by name, come after all locals and get none. gcc writes the name as given on its command
 * line's basename (e.g. `hashtab.c`).
 */
export function localSourceFiles(symbols: ElfSymbol[]): Array<string | undefined> {
  let file: string | undefined;
  return symbols.map((symbol) => {
    if (symbol.type === STT_FILE) file = symbol.name;
    return symbol.bind === STB_LOCAL && symbol.type !== STT_FILE ? file : undefined;
  });
}

/** The bytes of the first section with that name (empty for SHT_NOBITS). */
export function elfSectionBytes(elf: ElfFile, name: string): ElfResult<Uint8Array> {
  const section = elf.sections.find((s) => s.name === name);
  if (!section) return fail(`no section ${name}`);
  if (section.type === SHT_NOBITS) return { ok: true, value: new Uint8Array(0) };
  if (!sectionFits(new Reader(elf.bytes, elf.littleEndian), section)) return fail(`section ${name} out of the file`);
  return { ok: true, value: elf.bytes.subarray(section.offset, section.offset + section.size) };
}

/** The relocations of a SHT_RELA or SHT_REL section, in file order. */
export function elfRelocations(elf: ElfFile, section: ElfSection): ElfResult<ElfRelocation[]> {
  const rela = section.type === SHT_RELA;
  if (!rela && section.type !== SHT_REL) return fail(`${section.name} is no relocation section`);
  const r = new Reader(elf.bytes, elf.littleEndian);
  if (!sectionFits(r, section)) return fail(`section ${section.name} out of the file`);
  const entsize = (elf.is64 ? 16 : 8) + (rela ? (elf.is64 ? 8 : 4) : 0);
  const relocations: ElfRelocation[] = [];
  for (let at = section.offset; at + entsize <= section.offset + section.size; at += entsize) {
    const offset = elf.is64 ? r.u64(at) : r.u32(at);
    const info = elf.is64 ? r.u64(at + 8) : r.u32(at + 4);
    const addend = !rela ? 0 : elf.is64 ? r.i64(at + 16) : r.i32(at + 8);
    // ELF64_R_SYM(i) is i >> 32, ELF32_R_SYM(i) is i >> 8 (include/uapi/linux/elf.h).
    const symbol = elf.is64 ? Math.floor(info / 0x100000000) : info >>> 8;
    const type = elf.is64 ? r.low32(at + 8) : info & 0xff;
    relocations.push({ offset, type, symbol, addend });
  }
  return { ok: true, value: relocations };
}

/** The symbol's section and sectionIndex, from its shndx (and SHT_SYMTAB_SHNDX entry). */
function setSection(symbol: ElfSymbol, elf: ElfFile, r: Reader, xindex: ElfSection | undefined): void {
  const shndx = symbol.shndx;
  if (shndx === SHN_UNDEF) symbol.section = 'UND';
  else if (shndx === SHN_ABS) symbol.section = 'ABS';
  else if (shndx === SHN_COMMON) symbol.section = 'COM';
  else {
    let index = shndx < SHN_LORESERVE ? shndx : -1;
    if (shndx === SHN_XINDEX && xindex) {
      const at = xindex.offset + symbol.index * 4;
      if (r.fits(at, 4) && at + 4 <= xindex.offset + xindex.size) index = r.u32(at);
    }
    const section = elf.sections[index];
    if (section) {
      symbol.section = section.name;
      symbol.sectionIndex = index;
    }
  }
}

function hex8(n: number): string {
  const hex = n.toString(16);
  return hex.length === 8 ? hex : '00000000'.slice(hex.length) + hex;
}

function sectionFits(r: Reader, section: ElfSection): boolean {
  return Number.isFinite(section.offset) && Number.isFinite(section.size) && r.fits(section.offset, section.size);
}

/** Symbol and section names are C strings of ASCII; latin1 maps each byte to one character. */
function latin1(bytes: Uint8Array, offset: number, size: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, size).toString('latin1');
}

function cString(table: string, offset: number): string {
  if (offset >= table.length) return '';
  const end = table.indexOf('\0', offset);
  return table.slice(offset, end < 0 ? table.length : end);
}
