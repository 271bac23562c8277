// The post-link step klp-convert never merged upstream: in a built livepatch module, each
// relocation to a klp symbol (`.klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos>` as SUSE's
// KLP_RELOC_SYMBOL_POS names it, or `.klp.sym.<obj>.<sym>,<pos>`) moves from its ordinary
// relocation section into a livepatch relocation section `.klp.rela.<lp_obj>.<section>`
// (SHT_RELA, SHF_ALLOC | SHF_RELA_LIVEPATCH, sh_info = the section it applies to), and the
// symbol becomes `.klp.sym.<sym_obj>.<sym>,<pos>` with st_shndx = SHN_LIVEPATCH, as
// Documentation/livepatch/module-elf-format.rst and the 6.1 loader expect: kernel/module/main.c
// simplify_symbols() leaves SHN_LIVEPATCH symbols alone and apply_relocations() skips
// SHF_RELA_LIVEPATCH sections; kernel/livepatch/core.c klp_resolve_symbols() resolves them
// (refusing a vmlinux symbol in a module-specific section) and klp_apply_section_relocs()
// applies them when the object is there. Pure: bytes in, bytes or a reason out; it refuses
// what it does not understand and never returns a partly converted module.
import { elfRelocations, elfSymbols, parseElf, SHT_RELA, type ElfFile, type ElfSection, type ElfSymbol } from '../kernel/elf';

export const SHN_LIVEPATCH = 0xff20;
export const SHF_RELA_LIVEPATCH = 0x00100000;
const SHF_ALLOC = 0x2;
const SHF_INFO_LINK = 0x40;
const SHT_SYMTAB = 2;
const SHT_SYMTAB_SHNDX = 18;
const SHT_NOBITS = 8;
const EM_X86_64 = 62;
const RELA_SIZE = 24;
const SYM_SIZE = 24;
const SHDR_SIZE = 64;

/** klp-convert's name (`.klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos>`) and the plain one (`.klp.sym.<obj>.<sym>,<pos>`). */
const RELA_NAME = /^\.klp\.sym\.rela\.([^.,]+)\.([^.,]+)\.([^,]+),(\d+)$/;
const PLAIN_NAME = /^\.klp\.sym\.([^.,]+)\.([^,]+),(\d+)$/;

export interface ConvertedSymbol {
  /** The name after conversion: `.klp.sym.<obj>.<sym>,<pos>`. */
  name: string;
  /** The object whose livepatch relocation sections reference it. */
  relocationObject: string;
}

export interface Conversion {
  bytes: Uint8Array;
  symbols: ConvertedSymbol[];
  /** The livepatch relocation sections made, with their number of relocations. */
  sections: Array<{ name: string; relocations: number }>;
}

export type ConvertResult = { ok: true; conversion: Conversion } | { ok: false; error: string };

interface KlpSymbol {
  index: number;
  lpObject: string;
  name: string;
}

export function convertKlpRelocations(input: Uint8Array): ConvertResult {
  try {
    return convert(input);
  } catch (err) {
    // A module our checks did not foresee being malformed: a reason, never a throw.
    return { ok: false, error: `a malformed module: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function convert(input: Uint8Array): ConvertResult {
  const parsed = parseElf(input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const elf = parsed.value;
  if (!elf.is64 || !elf.littleEndian) return { ok: false, error: 'only little-endian ELF64 modules are converted' };
  if (elf.type !== 1) return { ok: false, error: 'not a relocatable object (a kernel module is one)' };
  if (elf.machine !== EM_X86_64) return { ok: false, error: `machine ${elf.machine} is not x86-64 (EM_X86_64)` };
  if (elf.sections.some((s) => s.type === SHT_SYMTAB_SHNDX)) return { ok: false, error: 'extended section indexes (SHT_SYMTAB_SHNDX) are not supported' };
  const bad = elf.sections.find((s, i) => i > 0 && ((s.type !== SHT_NOBITS && !(s.offset + s.size <= input.length)) || !saneAlignment(input, i)));
  if (bad) return { ok: false, error: `section ${bad.index} (${bad.name || 'unnamed'}) lies outside the file or has an impossible alignment` };
  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  const symbols = elfSymbols(elf);
  if (!symtab || !symbols.ok) return { ok: false, error: symbols.ok ? 'no symbol table' : symbols.error };
  const klp = klpSymbols(symbols.value);
  if ('error' in klp) return { ok: false, error: klp.error };
  if (klp.size === 0) return { ok: true, conversion: { bytes: input, symbols: [], sections: [] } };

  // Each ordinary relocation section split: the relocations to klp symbols, by the object whose section gets them.
  const rewritten = new Map<number, Uint8Array>();
  const added: Array<{ name: string; target: number; data: Uint8Array }> = [];
  for (const section of elf.sections) {
    if (section.type !== SHT_RELA || section.flags & SHF_RELA_LIVEPATCH || section.link !== symtab.index) continue;
    const relocations = elfRelocations(elf, section);
    if (!relocations.ok) return { ok: false, error: relocations.error };
    const target = elf.sections[section.info];
    if (!target) return { ok: false, error: `${section.name} applies to no section (sh_info ${section.info})` };
    const kept: Uint8Array[] = [];
    const moved = new Map<string, Uint8Array[]>();
    relocations.value.forEach((r, i) => {
      const entry = input.subarray(section.offset + i * RELA_SIZE, section.offset + (i + 1) * RELA_SIZE);
      const k = klp.get(r.symbol);
      if (!k) kept.push(entry);
      else moved.set(k.lpObject, [...(moved.get(k.lpObject) ?? []), entry]);
    });
    if (moved.size === 0) continue;
    rewritten.set(section.index, concat(kept));
    // `.klp.rela.<obj>.<section>`, the section's name without its leading dot (module-elf-format.rst: `.klp.rela.vmlinux.text.cmdline_proc_show`).
    for (const [object, entries] of moved) added.push({ name: `.klp.rela.${object}.${target.name.replace(/^\./, '')}`, target: target.index, data: concat(entries) });
  }
  if (added.length === 0) return { ok: false, error: 'klp symbols are declared but no relocation uses them' };
  const duplicate = added.find((a, i) => added.findIndex((b) => b.name === a.name) !== i);
  if (duplicate) return { ok: false, error: `two sections would be named ${duplicate.name}` };
  return { ok: true, conversion: write(elf, symtab, klp, rewritten, added) };
}

/** The klp symbols by symbol index; an error for a malformed name or a vmlinux symbol in a module's section. */
function klpSymbols(symbols: readonly ElfSymbol[]): Map<number, KlpSymbol> | { error: string } {
  const found = new Map<number, KlpSymbol>();
  for (const sym of symbols) {
    if (!sym.name.startsWith('.klp.sym.') || sym.shndx === SHN_LIVEPATCH) continue;
    if (sym.shndx !== 0) return { error: `${sym.name} is defined in the module: a klp symbol must be undefined` };
    const rela = RELA_NAME.exec(sym.name);
    const plain = rela ? undefined : PLAIN_NAME.exec(sym.name);
    const parts = rela ? { lpObject: rela[1], object: rela[2], symbol: rela[3], pos: rela[4] } : plain && { lpObject: plain[1], object: plain[1], symbol: plain[2], pos: plain[3] };
    if (!parts) return { error: `${sym.name} is no klp symbol name (.klp.sym.rela.<lp_obj>.<sym_obj>.<sym>,<pos> or .klp.sym.<obj>.<sym>,<pos>)` };
    // kernel/livepatch/core.c klp_resolve_symbols(): "invalid access to vmlinux symbol ... from module-specific livepatch relocation section".
    if (parts.object === 'vmlinux' && parts.lpObject !== 'vmlinux') {
      return { error: `${sym.name}: a vmlinux symbol cannot be relocated in ${parts.lpObject}'s section (the livepatch core refuses it); use vmlinux as the relocation object` };
    }
    if (parts.object.length > 55 || parts.symbol.length > 511) return { error: `${sym.name}: the livepatch core reads at most 55 characters of object and 511 of symbol name` };
    found.set(sym.index, { index: sym.index, lpObject: parts.lpObject, name: `.klp.sym.${parts.object}.${parts.symbol},${Number(parts.pos)}` });
  }
  return found;
}

/**
 * The module with the sections laid out again: every original section at its index (the
 * rewritten relocation sections shorter, the symbol table's klp symbols renamed and marked
 * SHN_LIVEPATCH, the string tables grown by the new names), the livepatch relocation sections
 * after them, the section headers last.
 */
function write(
  elf: ElfFile,
  symtab: ElfSection,
  klp: ReadonlyMap<number, KlpSymbol>,
  rewritten: ReadonlyMap<number, Uint8Array>,
  added: ReadonlyArray<{ name: string; target: number; data: Uint8Array }>,
): Conversion {
  const input = elf.bytes;
  const shstrndx = new DataView(input.buffer, input.byteOffset).getUint16(0x3e, true);
  const strtab = elf.sections[symtab.link];
  const strings = new Appender(input.subarray(strtab.offset, strtab.offset + strtab.size));
  const sectionNames = new Appender(input.subarray(elf.sections[shstrndx].offset, elf.sections[shstrndx].offset + elf.sections[shstrndx].size));
  // A copy (a Node Buffer's slice() would share the input's memory).
  const symtabData = new Uint8Array(input.subarray(symtab.offset, symtab.offset + symtab.size));
  const symView = new DataView(symtabData.buffer);
  for (const k of klp.values()) {
    const at = k.index * SYM_SIZE;
    symView.setUint32(at, strings.add(k.name), true);
    symView.setUint16(at + 6, SHN_LIVEPATCH, true);
  }
  const data = new Map<number, Uint8Array>(rewritten);
  data.set(symtab.index, symtabData);
  data.set(strtab.index, strings.bytes());
  const addedNames = added.map((a) => sectionNames.add(a.name));
  data.set(shstrndx, sectionNames.bytes());

  const headers: Array<{ section: ElfSection; nameOffset: number; bytes: Uint8Array }> = elf.sections.map((section) => ({
    section,
    nameOffset: new DataView(input.buffer, input.byteOffset).getUint32(headerOffset(input, section.index), true),
    bytes: data.get(section.index) ?? (section.type === SHT_NOBITS ? new Uint8Array(0) : input.subarray(section.offset, section.offset + section.size)),
  }));
  added.forEach((a, i) =>
    headers.push({
      section: { index: elf.sections.length + i, name: a.name, type: SHT_RELA, flags: SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH, offset: 0, size: a.data.length, link: symtab.index, info: a.target, entsize: RELA_SIZE },
      nameOffset: addedNames[i],
      bytes: a.data,
    }),
  );

  const out = new Writer(input.subarray(0, 64));
  const offsets = headers.map(({ section, bytes }, i) => {
    if (i === 0) return 0;
    const align = i < elf.sections.length ? alignmentOf(input, section.index) : 8;
    return section.type === SHT_NOBITS ? out.alignTo(align) : out.append(bytes, align);
  });
  const shoff = out.alignTo(8);
  for (let i = 0; i < headers.length; i++) {
    const { section, nameOffset, bytes } = headers[i];
    const h = new Uint8Array(SHDR_SIZE);
    if (i < elf.sections.length) h.set(input.subarray(headerOffset(input, i), headerOffset(input, i) + SHDR_SIZE));
    const v = new DataView(h.buffer);
    v.setUint32(0, nameOffset, true);
    v.setUint32(4, section.type, true);
    if (i >= elf.sections.length) {
      v.setBigUint64(8, BigInt(section.flags), true);
      v.setUint32(0x28, section.link, true);
      v.setUint32(0x2c, section.info, true);
      v.setBigUint64(0x30, 8n, true);
      v.setBigUint64(0x38, BigInt(section.entsize), true);
    }
    v.setBigUint64(0x18, BigInt(offsets[i]), true);
    v.setBigUint64(0x20, BigInt(section.type === SHT_NOBITS ? section.size : bytes.length), true);
    out.append(h, 1);
  }
  const bytes = out.bytes();
  const header = new DataView(bytes.buffer);
  header.setBigUint64(0x28, BigInt(shoff), true);
  header.setUint16(0x3c, headers.length, true);
  const moved = added.map((a) => ({ name: a.name, relocations: a.data.length / RELA_SIZE }));
  return { bytes, symbols: [...klp.values()].map((k) => ({ name: k.name, relocationObject: k.lpObject })), sections: moved };
}

function headerOffset(input: Uint8Array, index: number): number {
  const view = new DataView(input.buffer, input.byteOffset);
  return Number(view.getBigUint64(0x28, true)) + index * view.getUint16(0x3a, true);
}

/** sh_addralign is 0, 1 or a power of two up to a page (what a compiler writes for a module). */
function saneAlignment(input: Uint8Array, index: number): boolean {
  const align = alignmentOf(input, index);
  return align <= 4096 && (align & (align - 1)) === 0;
}

function alignmentOf(input: Uint8Array, index: number): number {
  const align = Number(new DataView(input.buffer, input.byteOffset).getBigUint64(headerOffset(input, index) + 0x30, true));
  return align > 1 ? align : 1;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A string table grown by new NUL-terminated names. */
class Appender {
  private readonly extra: number[] = [];

  constructor(private readonly base: Uint8Array) {}

  add(name: string): number {
    const offset = this.base.length + this.extra.length;
    for (const byte of Buffer.from(name, 'latin1')) this.extra.push(byte);
    this.extra.push(0);
    return offset;
  }

  bytes(): Uint8Array {
    return concat([this.base, Uint8Array.from(this.extra)]);
  }
}

/** The output file, written front to back. */
class Writer {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  constructor(head: Uint8Array) {
    this.append(head, 1);
  }

  alignTo(align: number): number {
    const pad = (align - (this.length % align)) % align;
    if (pad > 0) this.append(new Uint8Array(pad), 1);
    return this.length;
  }

  append(bytes: Uint8Array, align: number): number {
    const at = align > 1 ? this.alignTo(align) : this.length;
    this.parts.push(bytes);
    this.length += bytes.length;
    return at;
  }

  bytes(): Uint8Array {
    return concat(this.parts);
  }
}
