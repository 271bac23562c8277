// Property tests: the kernel readers never throw and never hang, on random input and on
// real input cut short or with flipped bits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readKernelFile } from '../../../server/src/kernel/compressed';
import { elfSectionBytes, elfSymbols, parseElf, type ElfFile, type ElfResult } from '../../../server/src/kernel/elf';
import { readElfSymbolParts } from '../../../server/src/kernel/elfSymbolParts';
import { parseKallsyms } from '../../../server/src/kernel/kallsyms';
import { moduleFromBytes, parseModinfo, readModuleFile } from '../../../server/src/kernel/modinfo';
import { parseBuiltinModinfo, parseModuleList } from '../../../server/src/kernel/modulesList';
import { parseSymvers } from '../../../server/src/kernel/symvers';
import type { ObjectSymbols } from '../../../server/src/kernel/types';
import { vmlinuxFromBytes } from '../../../server/src/kernel/vmlinuxElf';
import { fixturePath, readFixture } from '../../helpers/fixtures';
import { DEBIAN_KERNEL, describeShared } from '../../helpers/shared';

/** Every walk is numbered 0..count-1 and byName holds each entry under its own name. */
function expectConsistent(symbols: ObjectSymbols): void {
  const entries = [...symbols.byName].flatMap(([name, list]) => list.map((e) => ({ name, e })));
  expect(entries.every(({ name, e }) => e.name === name)).toBe(true);
  expect(entries.map(({ e }) => e.index).sort((a, b) => a - b)).toEqual([...Array(symbols.count).keys()]);
}

/** Text with the characters the formats care about, so that random lines are sometimes almost valid. */
const kernelText = fc.string({
  unit: fc.constantFrom('0', 'f', 'a', 'T', 't', 'A', 'U', ' ', ' ', '\t', '\n', '\n', '[', ']', 'x', '_', '.', '\r', '0x', 'vmlinux', 'EXPORT_SYMBOL', 'bpf'),
  maxLength: 300,
});

/** Inserts, deletes or replaces characters of a text at random places. */
const mutated = (text: string) =>
  fc.array(fc.tuple(fc.nat(text.length), fc.nat(5), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((edits) => {
    let out = text;
    for (const [at, remove, insert] of edits) out = out.slice(0, at) + insert + out.slice(at + remove);
    return out;
  });

describe('text parsers never throw', () => {
  it('parseSymvers on random and mutated text', () => {
    const symvers = readFixture('kernel', 'Module.symvers');
    fc.assert(
      fc.property(fc.oneof(kernelText, fc.string(), mutated(symvers)), (text) => {
        const result = parseSymvers(text, 'f');
        expect(result.exports.size).toBeLessThanOrEqual(text.split('\n').length);
        expect(result.problems.length).toBeLessThanOrEqual(21);
      }),
      { numRuns: 500 },
    );
  });

  it('parseKallsyms on random and mutated text, as kallsyms and as System.map', () => {
    const kallsyms = readFixture('kernel', 'kallsyms');
    fc.assert(
      fc.property(fc.oneof(kernelText, fc.string(), mutated(kallsyms)), fc.constantFrom('kallsyms' as const, 'system-map' as const), (text, source) => {
        const result = parseKallsyms(text, 'f', source);
        expectConsistent(result.vmlinux);
        for (const symbols of result.modules.values()) expectConsistent(symbols);
      }),
      { numRuns: 500 },
    );
  });

  it('parseModuleList, parseModinfo and parseBuiltinModinfo on random text', () => {
    fc.assert(
      fc.property(fc.oneof(kernelText, fc.string({ unit: fc.constantFrom('a', '.', '=', '\0', ',', '\n', 'depends', 'name') })), (text) => {
        parseModuleList(text);
        const bytes = Buffer.from(text, 'latin1');
        const info = parseModinfo(bytes);
        expect(info.depends.every((d) => d !== '')).toBe(true);
        parseBuiltinModinfo(bytes);
      }),
      { numRuns: 500 },
    );
  });
});

describe('text parsers take linear time', () => {
  // 200,000 short lines that lack the separators the parsers look for: a search per line
  // to the next space or tab would rescan the rest of the file each time.
  const lines = 'x\n'.repeat(200_000);

  it.each([
    ['parseSymvers', () => parseSymvers(lines, 'f').problems.length],
    ['parseKallsyms', () => parseKallsyms(lines, 'f', 'kallsyms').problems.length],
    ['parseKallsyms with tabs and no brackets', () => parseKallsyms('0 t a\tb\n'.repeat(100_000), 'f', 'kallsyms').problems.length],
  ])('%s', (_, parse) => {
    const start = performance.now();
    expect(parse()).toBe(21);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

/** Checks the ELF reader and the module reader on one input: results or errors, never a throw. */
function readAll(bytes: Uint8Array): void {
  const elf = parseElf(bytes);
  if (elf.ok) {
    const symbols = elfSymbols(elf.value);
    if (symbols.ok) expect(symbols.value.every((s) => typeof s.name === 'string')).toBe(true);
    elfSectionBytes(elf.value, '.modinfo');
  } else {
    expect(elf.error).toBeTypeOf('string');
  }
  const module = moduleFromBytes(bytes, 'm.ko');
  if (module.symbols) expectConsistent(module.symbols);
  else expect(module.problems).toHaveLength(1);
}

const flipped = (bytes: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 16 }).map((flips) => {
    const copy = Uint8Array.from(bytes);
    for (const [at, bit] of flips) copy[at] ^= 1 << bit;
    return copy;
  });

describe('the ELF and module readers never throw', () => {
  const tinies = ['tiny.ko', 'tiny32.ko', 'tiny_be64.o', 'tiny_be32.o', 'tiny_lp.ko'].map((n) => readFileSync(fixturePath('kernel', 'elf', n)));

  it('on random bytes, with and without an ELF header', () => {
    const header = tinies[0].subarray(0, 64);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (random, withHeader) => {
        readAll(withHeader ? Buffer.concat([header, random]) : random);
      }),
      { numRuns: 1000 },
    );
  });

  it('on every prefix of the fixture modules', () => {
    for (const bytes of tinies) for (let length = 0; length <= bytes.length; length++) readAll(bytes.subarray(0, length));
  });

  it('on the fixture modules with flipped bits', () => {
    fc.assert(
      fc.property(fc.nat(tinies.length - 1).chain((i) => flipped(tinies[i])), readAll),
      { numRuns: 2000 },
    );
  });
});

describe('the vmlinux reader never throws', () => {
  const vmlinux = readFileSync(fixturePath('kernel', 'vmlinux', 'vmlinux'));
  const readVmlinux = (bytes: Uint8Array) => {
    const read = vmlinuxFromBytes(bytes, 'vmlinux');
    if (read.symbols) expectConsistent(read.symbols);
    else expect(read.problems).toHaveLength(1);
  };

  it('on every prefix of the fixture vmlinux', () => {
    for (let length = 0; length <= vmlinux.length; length++) readVmlinux(vmlinux.subarray(0, length));
  });

  it('on the fixture vmlinux with flipped bits', () => {
    fc.assert(fc.property(flipped(vmlinux), readVmlinux), { numRuns: 2000 });
  });
});

describe('the symbol-parts reader (elfSymbolParts.ts) reads what the whole-file reader reads', () => {
  const fixtures = [fixturePath('kernel', 'vmlinux', 'vmlinux'), ...['tiny.ko', 'tiny32.ko', 'tiny_be64.o', 'tiny_be32.o', 'tiny_lp.ko'].map((n) => fixturePath('kernel', 'elf', n))];
  const inputs = fixtures.map((f) => readFileSync(f));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-elfparts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'elf');
  const symbolsOf = (read: ElfResult<ElfFile>) => (read.ok ? elfSymbols(read.value) : read);
  const agree = async (bytes: Uint8Array) => {
    writeFileSync(file, bytes);
    const read = readElfSymbolParts(file);
    if (!read.ok) throw new Error(read.reason);
    const parts = symbolsOf(read.value);
    const whole = symbolsOf(parseElf(bytes));
    expect(parts.ok).toBe(whole.ok);
    if (parts.ok && whole.ok) expect(parts.value).toEqual(whole.value);
  };

  it('on the fixtures, whole, cut short and with flipped bits', async () => {
    for (const bytes of inputs) await agree(bytes);
    await fc.assert(fc.asyncProperty(fc.nat(inputs.length - 1).chain((i) => fc.tuple(fc.constant(inputs[i]), fc.nat(inputs[i].length))), ([bytes, length]) => agree(bytes.subarray(0, length))), { numRuns: 300 });
    await fc.assert(fc.asyncProperty(fc.nat(inputs.length - 1).chain((i) => flipped(inputs[i])), agree), { numRuns: 1000 });
  });
});

describe('a module read in parts (readModuleFile) is the module read whole (moduleFromBytes)', () => {
  const modules = ['tiny.ko', 'tiny32.ko', 'tiny_lp.ko'].map((n) => readFileSync(fixturePath('kernel', 'elf', n)));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-moduleparts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'm.ko');
  const agree = async (bytes: Uint8Array) => {
    writeFileSync(file, bytes);
    expect(await readModuleFile(file)).toEqual(moduleFromBytes(bytes, file));
  };

  it('on the fixtures, whole, cut short and with flipped bits', async () => {
    const read = [];
    for (const bytes of modules) {
      await agree(bytes);
      read.push(await readModuleFile(file));
    }
    // Each read into the same scratch buffer: what the first gave is not what the last read overwrote.
    expect(read).toEqual(modules.map((bytes) => moduleFromBytes(bytes, file)));
    await fc.assert(fc.asyncProperty(fc.nat(modules.length - 1).chain((i) => fc.tuple(fc.constant(modules[i]), fc.nat(modules[i].length))), ([bytes, length]) => agree(bytes.subarray(0, length))), { numRuns: 300 });
    await fc.assert(fc.asyncProperty(fc.nat(modules.length - 1).chain((i) => flipped(modules[i])), agree), { numRuns: 1000 });
  });

  // The parts are read into one scratch buffer: a reading started meanwhile must not overwrite them.
  it('read at the same time as others, plain and compressed', async () => {
    const files = ['tiny.ko', 'tiny32.ko', 'tiny_lp.ko', 'tiny.ko.xz', 'tiny.ko.zst'].map((n) => fixturePath('kernel', 'elf', n));
    const alone = [];
    for (const f of files) alone.push(await readModuleFile(f));
    expect(await Promise.all(files.map((f) => readModuleFile(f)))).toEqual(alone);
    expect(await Promise.all([...files].reverse().map((f) => readModuleFile(f)))).toEqual([...alone].reverse());
  });
});

describeShared('the ELF and module readers never throw on real modules', () => {
  it('on cdrom.ko cut short and with flipped bits', async () => {
    const cdrom = await readKernelFile(path.join(DEBIAN_KERNEL, 'modules/drivers/cdrom/cdrom.ko.xz'));
    fc.assert(fc.property(fc.nat(cdrom.length), (length) => readAll(cdrom.subarray(0, length))), { numRuns: 300 });
    fc.assert(fc.property(flipped(cdrom), readAll), { numRuns: 300 });
  });
});
