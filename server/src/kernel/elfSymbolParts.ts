// Reads from an ELF file on disk only what a symbol walk needs: the header, the section
// headers and their names, the symbol table with its names and SHT_SYMTAB_SHNDX. A vmlinux
// with debug info (Debian's linux-image-*-dbg) is 630 MB; these parts are 6 MB of it.
// They are copied into one small buffer laid out as an ELF file (the header, the section
// headers, then each part, with its sh_offset rewritten), which parseElf() reads as usual.
import { open, type FileHandle } from 'node:fs/promises';
import { parseElf, SHT_SYMTAB, SHT_SYMTAB_SHNDX, type ElfFile, type ElfResult, type ElfSection } from './elf';

/** More than any kernel's symbol table (vmlinux's is under 16 MB): a bigger claim is garbage. */
const MAX_PARTS = 256 * 1024 * 1024;
const SHN_XINDEX = 0xffff;

export async function readElfSymbolParts(file: string): Promise<ElfResult<ElfFile>> {
  const handle = await open(file, 'r');
  try {
    return await readParts(handle);
  } finally {
    await handle.close();
  }
}

async function readParts(handle: FileHandle): Promise<ElfResult<ElfFile>> {
  const size = (await handle.stat()).size;
  const header = await readAt(handle, 0, Math.min(64, size));
  const is64 = header[4] === 2;
  const le = header[5] === 1;
  if (header.length < (is64 ? 64 : 52)) return parseElf(header); // its error: not an ELF file, truncated
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const shoff = word(header.subarray(is64 ? 0x28 : 0x20), is64, le);
  const shentsize = view.getUint16(is64 ? 0x3a : 0x2e, le);
  const count = view.getUint16(is64 ? 0x3c : 0x30, le);
  if (!(shoff > 0 && shoff < size)) return parseElf(header); // no section headers: parseElf() says what is wrong
  // gABI: e_shnum 0 means the count is section 0's sh_size.
  const shnum = count !== 0 ? count : word(await readAt(handle, shoff + (is64 ? 0x20 : 0x14), is64 ? 8 : 4), is64, le);
  const tableSize = shnum * shentsize;
  if (!(tableSize > 0) || shoff + tableSize > size || tableSize > MAX_PARTS) return parseElf(header);

  // The headers alone, section names left out (e_shstrndx 0): the types, offsets and links.
  const headers = Buffer.concat([header, await readAt(handle, shoff, tableSize)]);
  const headersView = new DataView(headers.buffer, headers.byteOffset, headers.byteLength);
  const setShoff = (at: number) => (is64 ? headersView.setBigUint64(0x28, BigInt(at), le) : headersView.setUint32(0x20, at, le));
  setShoff(header.length);
  const shstrndxAt = is64 ? 0x3e : 0x32;
  const shstrndx = headersView.getUint16(shstrndxAt, le);
  headersView.setUint16(shstrndxAt, 0, le);
  const bare = parseElf(headers);
  if (!bare.ok) return bare;
  headersView.setUint16(shstrndxAt, shstrndx, le);

  const sections = bare.value.sections;
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const names = sections[shstrndx === SHN_XINDEX ? sections[0].link : shstrndx];
  const wanted = [names, symtab, symtab && sections[symtab.link], sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === symtab?.index)];
  const parts = [...new Set(wanted.filter((s): s is ElfSection => s !== undefined && s.index !== 0))];
  const total = parts.reduce((sum, s) => sum + s.size, 0);
  if (parts.some((s) => !(s.offset + s.size <= size)) || total > MAX_PARTS) return { ok: false, error: 'symbol table out of the file' };

  const chunks: Buffer[] = [headers];
  let at = headers.length;
  for (const section of parts) {
    const offsetField = header.length + section.index * shentsize + (is64 ? 0x18 : 0x10);
    if (is64) headersView.setBigUint64(offsetField, BigInt(at), le);
    else headersView.setUint32(offsetField, at, le);
    chunks.push(await readAt(handle, section.offset, section.size));
    at += section.size;
  }
  return parseElf(Buffer.concat(chunks));
}

/** An 8-byte (ELF64) or 4-byte field at the start of `bytes`; NaN when it is cut. */
function word(bytes: Buffer, is64: boolean, le: boolean): number {
  if (bytes.length < (is64 ? 8 : 4)) return NaN;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return is64 ? Number(view.getBigUint64(0, le)) : view.getUint32(0, le);
}

/** Exactly `length` bytes at `position`, or fewer at the end of the file. */
async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}
