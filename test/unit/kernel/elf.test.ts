import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elfSectionBytes, elfSymbols, parseElf, type ElfFile } from '../../../server/src/kernel/elf';
import { fixturePath } from '../../helpers/fixtures';

function elfOf(name: string): ElfFile {
  const result = parseElf(readFileSync(fixturePath('kernel', 'elf', name)));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function symbolsOf(name: string) {
  const result = elfSymbols(elfOf(name));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('parseElf', () => {
  it('reads the header and section names of an ELF64 little-endian relocatable', () => {
    const elf = elfOf('tiny.ko');
    expect([elf.is64, elf.littleEndian, elf.type, elf.machine]).toEqual([true, true, 1, 62]);
    expect(elf.sections.map((s) => s.name)).toEqual(expect.arrayContaining(['.text', '.init.text', '.exit.text', '.modinfo', '__versions', '.data..percpu', '.symtab', '.strtab']));
    expect(elf.sections[0]).toMatchObject({ index: 0, name: '', type: 0 });
    const text = elf.sections.find((s) => s.name === '.text');
    expect(text?.flags).toBe(0x6); // SHF_ALLOC | SHF_EXECINSTR
  });

  it('reads ELF32 little-endian', () => {
    const elf = elfOf('tiny32.ko');
    expect([elf.is64, elf.littleEndian, elf.machine]).toEqual([false, true, 3]);
  });

  it.each([
    ['tiny_be64.o', true, 22],
    ['tiny_be32.o', false, 20],
  ])('reads big-endian %s', (name, is64, machine) => {
    const elf = elfOf(name);
    expect([elf.is64, elf.littleEndian, elf.machine]).toEqual([is64, false, machine]);
    const symbols = symbolsOf(name);
    const digits = is64 ? 16 : 8;
    expect(symbols.slice(4).map((s) => [s.name, s.value, s.size, s.typeName, s.bindName, s.section])).toEqual([
      ['be_local', '4'.padStart(digits, '0'), 8, 'FUNC', 'LOCAL', '.text'],
      ['be_data', '0'.padStart(digits, '0'), 4, 'OBJECT', 'LOCAL', '.data'],
      ['', '0'.padStart(digits, '0'), 0, 'SECTION', 'LOCAL', '.modinfo'],
      ['be_func', '0'.padStart(digits, '0'), 4, 'FUNC', 'GLOBAL', '.text'],
    ]);
  });

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['text', Buffer.from('this is not an ELF file at all, it is far too plain for that')],
    ['a bad class', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 9, 1, ...new Array(60).fill(0)])],
    ['a bad byte order', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 7, ...new Array(60).fill(0)])],
  ])('refuses %s without throwing', (_, bytes) => {
    const result = parseElf(bytes);
    expect(result.ok).toBe(false);
  });

  it('refuses a file cut before its section headers', () => {
    const result = parseElf(readFileSync(fixturePath('kernel', 'elf', 'tiny_truncated.ko')));
    expect(result).toEqual({ ok: false, error: 'section headers out of the file' });
  });
});

describe('elfSymbols', () => {
  it('lists the symbol table in file order with readelf names', () => {
    const symbols = symbolsOf('tiny.ko');
    expect(symbols).toHaveLength(32);
    expect(symbols[0]).toMatchObject({ index: 0, name: '', section: 'UND', shndx: 0 });
    expect(symbols.filter((s) => s.name === 'helper').map((s) => [s.index, s.value, s.size, s.typeName, s.bindName, s.section])).toEqual([
      [19, '0000000000000000', 15, 'FUNC', 'LOCAL', '.text'],
      [22, '0000000000000044', 14, 'FUNC', 'LOCAL', '.text'],
    ]);
    expect(symbols.find((s) => s.name === 'tiny_a.c')).toMatchObject({ typeName: 'FILE', section: 'ABS', shndx: 0xfff1 });
    expect(symbols.find((s) => s.name === 'tiny_weak')).toMatchObject({ bindName: 'WEAK', typeName: 'FUNC' });
    expect(symbols.find((s) => s.name === 'undefined_elsewhere')).toMatchObject({ section: 'UND', typeName: 'NOTYPE', bindName: 'GLOBAL' });
    expect(symbols.find((s) => s.name === 'tiny_counter')).toMatchObject({ section: '.data..percpu', typeName: 'OBJECT' });
  });

  it('reads ELF32 symbols with 8-digit values', () => {
    const helper = symbolsOf('tiny32.ko').filter((s) => s.name === 'helper');
    expect(helper.map((s) => s.value)).toEqual(['00000000', '0000003e']);
  });

  it('refuses a symbol table that runs out of the file', () => {
    const bytes = Buffer.from(readFileSync(fixturePath('kernel', 'elf', 'tiny.ko')));
    const elf = parseElf(bytes);
    if (!elf.ok) throw new Error(elf.error);
    const symtab = elf.value.sections.find((s) => s.name === '.symtab')!;
    symtab.size = bytes.length; // as a corrupt header would say
    expect(elfSymbols(elf.value)).toEqual({ ok: false, error: 'symbol table out of the file' });
  });
});

describe('elfSectionBytes', () => {
  it("returns a section's bytes by name", () => {
    const modinfo = elfSectionBytes(elfOf('tiny.ko'), '.modinfo');
    expect(modinfo.ok && Buffer.from(modinfo.value).toString('latin1').split('\0')[0]).toBe('name=tiny');
  });

  it('says when the section does not exist', () => {
    expect(elfSectionBytes(elfOf('tiny.ko'), '.nope')).toEqual({ ok: false, error: 'no section .nope' });
  });

  it('gives no bytes for a NOBITS section', () => {
    const bss = elfSectionBytes(elfOf('tiny.ko'), '.bss');
    expect(bss.ok && bss.value.length).toBe(0);
  });
});
