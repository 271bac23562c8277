// klp-lens convert on objects GCC makes: the relocations to klp symbols move into livepatch
// relocation sections, the symbols become SHN_LIVEPATCH, as module-elf-format.rst says; on
// corrupted and truncated input, a reason, never a throw.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { missingBuildTools } from '../../../server/src/compiler/processes';
import { elfRelocations, elfSymbols, parseElf } from '../../../server/src/kernel/elf';
import { convertKlpRelocations, SHF_RELA_LIVEPATCH, SHN_LIVEPATCH } from '../../../server/src/klpConvert/convert';

const dir = mkdtempSync(path.join(tmpdir(), 'klp-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(source: string): Uint8Array {
  writeFileSync(path.join(dir, 'lp.c'), source);
  execFileSync('gcc', ['-O2', '-c', '-fno-pic', '-mcmodel=kernel', '-ffunction-sections', '-o', 'lp.o', 'lp.c'], { cwd: dir });
  return readFileSync(path.join(dir, 'lp.o'));
}

// What KLP_RELOC_SYMBOL(_POS) expands to (edits/klpSymbol.ts): an asm label in quotes.
const module = `
extern int do_sys_open(int, const char *, int, int) __asm__("\\".klp.sym.rela.vmlinux.vmlinux.do_sys_open,0\\"");
extern void ksys_sync(void) __asm__("\\".klp.sym.rela.vmlinux.vmlinux.ksys_sync,2\\"");
extern int cdrom_open(void) __asm__("\\".klp.sym.rela.cdrom.cdrom.cdrom_open,0\\"");
extern int printk(const char *, ...);
int livepatch_open(void) { ksys_sync(); printk("x"); return do_sys_open(0, "f", 0, 0); }
int livepatch_cdrom(void) { return cdrom_open(); }
`;

describe.skipIf(missingBuildTools()?.includes('gcc'))('convertKlpRelocations', () => {
  it('moves the relocations to klp symbols into .klp.rela.<obj>.<section> and marks the symbols SHN_LIVEPATCH', () => {
    const result = convertKlpRelocations(compile(module));
    if (!result.ok) throw new Error(result.error);
    const elf = parseElf(result.conversion.bytes);
    if (!elf.ok) throw new Error(elf.error);
    const symbols = elfSymbols(elf.value);
    if (!symbols.ok) throw new Error(symbols.error);
    const klp = symbols.value.filter((s) => s.name.startsWith('.klp.sym.'));
    expect(klp.map((s) => [s.name, s.shndx]).sort()).toEqual([
      ['.klp.sym.cdrom.cdrom_open,0', SHN_LIVEPATCH],
      ['.klp.sym.vmlinux.do_sys_open,0', SHN_LIVEPATCH],
      ['.klp.sym.vmlinux.ksys_sync,2', SHN_LIVEPATCH],
    ]);
    const sections = elf.value.sections.filter((s) => s.name.startsWith('.klp.rela.'));
    expect(sections.map((s) => [s.name, elf.value.sections[s.info].name, (s.flags & (SHF_RELA_LIVEPATCH | 2)) !== 0])).toEqual([
      ['.klp.rela.vmlinux.text.livepatch_open', '.text.livepatch_open', true],
      ['.klp.rela.cdrom.text.livepatch_cdrom', '.text.livepatch_cdrom', true],
    ]);
    const names = (i: number) => {
      const r = elfRelocations(elf.value, elf.value.sections[i]);
      return r.ok ? r.value.map((x) => symbols.value[x.symbol].name) : [];
    };
    expect(names(sections[0].index)).toEqual(['.klp.sym.vmlinux.ksys_sync,2', '.klp.sym.vmlinux.do_sys_open,0']);
    // The ordinary relocation section keeps the rest: printk and the string literals (through a section symbol, which has no name).
    const ordinary = elf.value.sections.find((s) => s.name === '.rela.text.livepatch_open')!;
    expect(names(ordinary.index)).toEqual(['', 'printk', '']);
    // binutils reads it.
    writeFileSync(path.join(dir, 'out.o'), result.conversion.bytes);
    expect(execFileSync('readelf', ['-rW', path.join(dir, 'out.o')], { encoding: 'utf8' })).toContain("Relocation section '.klp.rela.cdrom.text.livepatch_cdrom'");
  });

  it("refuses a vmlinux symbol in a module's section, as the livepatch core would", () => {
    const result = convertKlpRelocations(compile('extern int f(void) __asm__("\\".klp.sym.rela.cdrom.vmlinux.f,0\\"");\nint g(void) { return f(); }\n'));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('a vmlinux symbol cannot be relocated in cdrom') });
  });

  it('leaves a module without klp symbols as it is', () => {
    const bytes = compile('int g(void) { return 1; }\n');
    expect(convertKlpRelocations(bytes)).toEqual({ ok: true, conversion: { bytes, symbols: [], sections: [] } });
  });

  it('gives a reason, never a throw, on corrupted and truncated modules', () => {
    const good = compile(module);
    fc.assert(
      fc.property(fc.nat(good.length), fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (cut, flips) => {
        const bytes = new Uint8Array(good.subarray(0, cut === 0 ? good.length : cut));
        for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
        const result = convertKlpRelocations(bytes);
        if (result.ok) expect(parseElf(result.conversion.bytes).ok).toBe(true);
        else expect(result.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
