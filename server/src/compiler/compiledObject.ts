// What the compiler produced in one relocatable object (`foo.o` built with
// -ffunction-sections -fdata-sections), reduced to what the build tools compare: each
// function's and each data symbol's bytes and the relocations inside them, with the names
// GCC numbers per compilation normalised, string literals read by content, and references
// to a section symbol read as the symbol they land in. Two readings of the same source give
// equal signatures; kpatch-build's create-diff-object.c (kpatch_compare_correlated_elements,
// kpatch_mangled_strcmp, is_special_static) and klp-build's objtool klp-diff compare the same way.
import { unnumbered } from '../kernel/symbolClones';
import { elfRelocations, elfSymbols, parseElf, SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS, SHT_REL, SHT_RELA, STT_FILE, STT_OBJECT, STT_SECTION, type ElfFile, type ElfRelocation, type ElfResult, type ElfSection, type ElfSymbol } from '../kernel/elf';

export interface CompiledSymbol {
  /** The symbol's name in this object (`foo.isra.0`). */
  name: string;
  kind: 'function' | 'data';
  /** The section it is in (`.text.foo`, `.init.text`, `.data.bar`). */
  section: string;
  /** Bytes and normalised relocations: equal signatures, equal code or data. */
  signature: string;
}

/** The functions and data of an object, by name with GCC's numeric suffixes removed. */
export type CompiledObject = ReadonlyMap<string, CompiledSymbol>;

const SHF_MERGE = 0x10;
const SHF_STRINGS = 0x20;
// R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX
// (arch/x86/include/asm/elf.h): the addend is the target's offset minus the 4 bytes of the field.
const PC_RELATIVE = new Set([2, 4, 9, 41, 42]);

// Static locals each compilation numbers afresh and the build tools never compare
// (create-diff-object.c is_special_static; pr_debug's descriptors, dynamic debug).
const SPECIAL_STATIC = /^(__key|__warned|__already_done|__func__|__FUNCTION__|_rs|CSWTCH|_entry|descriptor|__UNIQUE_ID_ddebug)$/;
// Data sections whose content is code or a table of the object, not a variable a livepatch would share.
const DATA_SECTION = /^\.(data|rodata|bss)(\.|$)/;

export function readCompiledObject(bytes: Uint8Array): ElfResult<CompiledObject> {
  const parsed = parseElf(bytes);
  if (!parsed.ok) return parsed;
  const elf = parsed.value;
  const symbols = elfSymbols(elf);
  if (!symbols.ok) return symbols;
  const relocations = relocationsBySection(elf);
  if (!relocations.ok) return relocations;
  const read = new ObjectReader(elf, symbols.value, relocations.value);
  const result = new Map<string, CompiledSymbol>();
  // An alias (module_init()'s `init_module` for the init function) is the same code: the first name, a local one, stands for it.
  const places = new Set<string>();
  for (const sym of symbols.value) {
    const kind = read.kindOf(sym);
    const place = `${sym.sectionIndex}:${sym.value}`;
    if (!kind || (kind === 'function' && places.has(place))) continue;
    places.add(place);
    let key = unnumbered(sym.name);
    for (let n = 2; result.has(key); n++) key = `${unnumbered(sym.name)}#${n}`;
    result.set(key, { name: sym.name, kind, section: sym.section, signature: read.signature(sym) });
  }
  return { ok: true, value: result };
}

function relocationsBySection(elf: ElfFile): ElfResult<Map<number, ElfRelocation[]>> {
  const bySection = new Map<number, ElfRelocation[]>();
  for (const section of elf.sections) {
    if (section.type !== SHT_RELA && section.type !== SHT_REL) continue;
    const read = elfRelocations(elf, section);
    if (!read.ok) return read;
    bySection.set(section.info, [...(bySection.get(section.info) ?? []), ...read.value]);
  }
  return { ok: true, value: bySection };
}

class ObjectReader {
  /** The named symbols of each section, for references through a section symbol. */
  private readonly named = new Map<number, ElfSymbol[]>();

  constructor(
    private readonly elf: ElfFile,
    private readonly symbols: readonly ElfSymbol[],
    private readonly relocations: ReadonlyMap<number, readonly ElfRelocation[]>,
  ) {
    for (const sym of symbols) {
      if (sym.sectionIndex < 0 || sym.type === STT_SECTION || sym.type === STT_FILE || sym.name === '' || sym.name.startsWith('.L')) continue;
      this.named.set(sym.sectionIndex, [...(this.named.get(sym.sectionIndex) ?? []), sym]);
    }
  }

  kindOf(sym: ElfSymbol): CompiledSymbol['kind'] | undefined {
    const section = this.elf.sections[sym.sectionIndex];
    if (!section || !(section.flags & SHF_ALLOC) || sym.name === '') return undefined;
    if (sym.typeName === 'FUNC' && section.flags & SHF_EXECINSTR) return 'function';
    if (sym.type !== STT_OBJECT || !DATA_SECTION.test(section.name)) return undefined;
    return SPECIAL_STATIC.test(unnumbered(sym.name)) ? undefined : 'data';
  }

  signature(sym: ElfSymbol): string {
    const section = this.elf.sections[sym.sectionIndex];
    const start = parseInt(sym.value, 16);
    const end = start + sym.size;
    const bytes = section.type === SHT_NOBITS ? `bss:${sym.size}` : Buffer.from(this.elf.bytes.subarray(section.offset + start, section.offset + end)).toString('hex');
    const refs = (this.relocations.get(section.index) ?? [])
      .filter((r) => r.offset >= start && r.offset < end)
      .map((r) => `${r.offset - start}:${r.type}:${this.target(r)}`);
    return [bytes, ...refs].join('\n');
  }

  /** What a relocation refers to, in terms that survive a recompilation. */
  private target(r: ElfRelocation): string {
    const sym = this.symbols[r.symbol];
    if (!sym) return `?${r.symbol}`;
    const section = this.elf.sections[sym.sectionIndex];
    const at = parseInt(sym.value, 16) + r.addend + (PC_RELATIVE.has(r.type) ? 4 : 0);
    // A literal of a merged section (a string, a constant of .rodata.cst16), through its section
    // or a local label (`.LC0`, numbered per compilation), is its content.
    const anonymous = sym.type === STT_SECTION || sym.name.startsWith('.L');
    if (section && anonymous && section.flags & SHF_STRINGS) return `"${this.stringAt(section.offset, section.size, at)}"`;
    if (section && anonymous && section.flags & SHF_MERGE && section.entsize > 0) return `=${this.bytesAt(section, at)}`;
    if (sym.type !== STT_SECTION && !anonymous) return `${unnumbered(sym.name)}${signed(r.addend)}`;
    if (!section) return `?section${signed(r.addend)}`;
    const inside = (this.named.get(section.index) ?? []).find((s) => {
      const value = parseInt(s.value, 16);
      return at >= value && at < value + Math.max(s.size, 1);
    });
    if (inside) return `${unnumbered(inside.name)}+${at - parseInt(inside.value, 16)}`;
    return `${unnumbered(section.name)}@${at}`;
  }

  private bytesAt(section: ElfSection, at: number): string {
    if (at < 0 || at + section.entsize > section.size) return `@${at}`;
    return Buffer.from(this.elf.bytes.subarray(section.offset + at, section.offset + at + section.entsize)).toString('hex');
  }

  private stringAt(offset: number, size: number, at: number): string {
    if (at < 0 || at >= size) return `@${at}`;
    const bytes = this.elf.bytes.subarray(offset + at, offset + size);
    const end = bytes.indexOf(0);
    return JSON.stringify(Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1')).slice(1, -1);
  }
}

function signed(n: number): string {
  return n < 0 ? String(n) : `+${n}`;
}
