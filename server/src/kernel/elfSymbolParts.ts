// Reads from an ELF file on disk only what a symbol walk needs: the header, the section
// headers and their names, the symbol table with its names and SHT_SYMTAB_SHNDX, and the
// sections asked for by name (a module's .modinfo). A vmlinux with debug info (Debian's
// linux-image-*-dbg) is 630 MB, these parts 6 MB of it; a full kernel's 4,023 .ko are 397 MB,
// their parts 36 MB. They are copied into one small buffer laid out as an ELF file (the header,
// the section headers, then each part, with its sh_offset rewritten), which parseElf() reads as
// usual. Synchronous: a full kernel's modules are many small reads in a row (context.ts).
import { readSync } from 'node:fs';
import { withRegularFile } from '../common/fileRead';
import { parseElf, SHT_NOBITS, SHT_SYMTAB, SHT_SYMTAB_SHNDX, type ElfFile, type ElfResult, type ElfSection } from './elf';

/** More than any kernel's symbol table (vmlinux's is under 16 MB): a bigger claim is garbage. */
const MAX_PARTS = 256 * 1024 * 1024;
const SHN_XINDEX = 0xffff;

/** A buffer the parts are read into, reused from one file to the next (a fresh buffer for each of 4,023 modules: 100 ms of page faults). */
export class ScratchBuffer {
  private buffer = Buffer.allocUnsafe(0);

  /** `length` bytes of it, grown when needed: what was in it before is overwritten by the next use. */
  take(length: number): Buffer {
    if (this.buffer.length < length) this.buffer = Buffer.allocUnsafe(Math.max(length, 2 * this.buffer.length, 64 * 1024));
    return this.buffer.subarray(0, length);
  }
}

/**
 * The symbol parts of `file` (and its sections named `sectionNames`) as an ElfFile, or what is
 * wrong with them (parseElf()'s NOT_ELF for a file that is not ELF: compressed, text); ok: false
 * with the reason when the file cannot be read (not a regular file, larger than `limit`). With
 * `scratch`, the ElfFile's bytes are in it: valid until its next use.
 */
export function readElfSymbolParts(file: string, limit = Infinity, sectionNames: readonly string[] = [], scratch = new ScratchBuffer()): { ok: true; value: ElfResult<ElfFile> } | { ok: false; reason: string } {
  return withRegularFile(file, limit, (fd, stats) => readParts({ size: stats.size, read: (buffer, position) => readInto(fd, buffer, position) }, sectionNames, scratch));
}

/** The same parts of an ELF file in memory (a decompressed module): a copy of them the size of what a symbol walk needs. */
export function elfSymbolPartsOf(bytes: Uint8Array, sectionNames: readonly string[] = [], scratch = new ScratchBuffer()): ElfResult<ElfFile> {
  const read = (buffer: Buffer, position: number) => {
    const part = bytes.subarray(position, position + buffer.length);
    buffer.set(part);
    return part.length;
  };
  return readParts({ size: bytes.length, read }, sectionNames, scratch);
}

/** A file's bytes: `read` fills `buffer` from `position` on and says how many bytes it read (fewer at the end). */
interface Source {
  size: number;
  read(buffer: Buffer, position: number): number;
}

function readParts(source: Source, sectionNames: readonly string[], scratch: ScratchBuffer): ElfResult<ElfFile> {
  const size = source.size;
  const readAt = (position: number, length: number) => {
    const buffer = Buffer.allocUnsafe(length);
    return buffer.subarray(0, source.read(buffer, position));
  };
  const header = readAt(0, Math.min(64, size));
  const is64 = header[4] === 2;
  const le = header[5] === 1;
  if (header.length < (is64 ? 64 : 52)) return parseElf(header); // its error: not an ELF file, truncated
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const shoff = word(header.subarray(is64 ? 0x28 : 0x20), is64, le);
  const shentsize = view.getUint16(is64 ? 0x3a : 0x2e, le);
  const count = view.getUint16(is64 ? 0x3c : 0x30, le);
  if (!(shoff > 0 && shoff < size)) return parseElf(header); // no section headers: parseElf() says what is wrong
  // gABI: e_shnum 0 means the count is section 0's sh_size.
  const shnum = count !== 0 ? count : word(readAt(shoff + (is64 ? 0x20 : 0x14), is64 ? 8 : 4), is64, le);
  const tableSize = shnum * shentsize;
  if (!(tableSize > 0) || shoff + tableSize > size || tableSize > MAX_PARTS) return parseElf(header);

  const layout = new Layout(source, Buffer.concat([header, readAt(shoff, tableSize)]), header.length, is64, le, shentsize, scratch);
  const shstrndx = layout.shstrndx();
  // The headers alone, section names left out (e_shstrndx 0): the types, offsets and links.
  const bare = layout.parse([], 0);
  if (!bare.ok) return bare;
  const sections = bare.value.sections;
  const names = sections[shstrndx === SHN_XINDEX ? sections[0].link : shstrndx];
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbolParts = [symtab, symtab && sections[symtab.link], sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === symtab?.index)];
  const named = sectionNames.length === 0 || !names ? undefined : layout.parse(partsOf([names]), shstrndx);
  const byName = named?.ok ? named.value.sections.filter((s) => sectionNames.includes(s.name) && s.type !== SHT_NOBITS) : [];
  return layout.parse(partsOf([names, ...symbolParts, ...byName]), shstrndx);
}

/** The sections to copy: each once, section 0 never. */
function partsOf(sections: ReadonlyArray<ElfSection | undefined>): ElfSection[] {
  return [...new Set(sections.filter((s): s is ElfSection => s !== undefined && s.index !== 0))];
}

/** An sh_offset out of any copy: a part that lies past the file's end is given it, so that parseElf() finds it out of the file as in the whole file. */
const OUTSIDE = 0xffffffff;

/** The header and section headers of the copy, each part's sh_offset rewritten to where it is copied. */
class Layout {
  private readonly view: DataView;

  constructor(
    private readonly source: Source,
    private readonly headers: Buffer,
    /** Where the section headers start in the copy: after the header. */
    private readonly shoff: number,
    private readonly is64: boolean,
    private readonly le: boolean,
    private readonly shentsize: number,
    private readonly scratch: ScratchBuffer,
  ) {
    this.view = new DataView(headers.buffer, headers.byteOffset, headers.byteLength);
    if (is64) this.view.setBigUint64(0x28, BigInt(shoff), le);
    else this.view.setUint32(0x20, shoff, le);
  }

  shstrndx(): number {
    return this.view.getUint16(this.is64 ? 0x3e : 0x32, this.le);
  }

  /** parseElf() of the headers followed by `parts`, read into the scratch buffer, with e_shstrndx set to `shstrndx`. */
  parse(parts: readonly ElfSection[], shstrndx: number): ElfResult<ElfFile> {
    const inFile = parts.filter((s) => s.offset + s.size <= this.source.size);
    const total = inFile.reduce((sum, s) => sum + s.size, 0);
    if (total > MAX_PARTS) return { ok: false, error: 'symbol table out of the file' };
    this.view.setUint16(this.is64 ? 0x3e : 0x32, shstrndx, this.le);
    let at = this.headers.length;
    for (const section of parts) {
      const copied = inFile.includes(section);
      this.setOffset(section, copied ? at : OUTSIDE);
      if (copied) at += section.size;
    }
    const copy = this.scratch.take(at);
    this.headers.copy(copy);
    at = this.headers.length;
    for (const section of inFile) {
      const read = this.source.read(copy.subarray(at, at + section.size), section.offset);
      // A file that shrank while read: the part ends short, out of the copy.
      if (read < section.size) return { ok: false, error: 'symbol table out of the file' };
      at += section.size;
    }
    return parseElf(copy);
  }

  private setOffset(section: ElfSection, offset: number): void {
    const field = this.shoff + section.index * this.shentsize + (this.is64 ? 0x18 : 0x10);
    if (this.is64) this.view.setBigUint64(field, BigInt(offset), this.le);
    else this.view.setUint32(field, offset, this.le);
  }
}

/** An 8-byte (ELF64) or 4-byte field at the start of `bytes`; NaN when it is cut. */
function word(bytes: Buffer, is64: boolean, le: boolean): number {
  if (bytes.length < (is64 ? 8 : 4)) return NaN;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return is64 ? Number(view.getBigUint64(0, le)) : view.getUint32(0, le);
}

/** Fills `buffer` from `position` on; the bytes read (fewer at the end of the file). */
function readInto(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const bytesRead = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
