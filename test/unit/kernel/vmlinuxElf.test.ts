import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vmlinuxFromBytes } from '../../../server/src/kernel/vmlinuxElf';
import { fixturePath } from '../../helpers/fixtures';

const bytes = readFileSync(fixturePath('kernel', 'vmlinux', 'vmlinux'));

describe('vmlinuxFromBytes', () => {
  const read = vmlinuxFromBytes(bytes, 'vmlinux');
  const walk = [...(read.symbols?.byName.values() ?? [])].flat().sort((a, b) => a.index - b.index);

  it('walks the kallsyms table: by address, then weak last, linker-provided last, fewer leading underscores first', () => {
    expect(read.problems).toEqual([]);
    expect(read.symbols).toMatchObject({ object: 'vmlinux', source: 'elf', file: 'vmlinux', count: 14 });
    expect(walk.map((e) => [e.index, e.name, e.address.slice(10), e.type])).toEqual([
      [0, 'part2_cold', '000000', 'FUNC'],
      [1, 'helper', '00000b', 'FUNC'],
      [2, 'start_kernel', '00001a', 'FUNC'],
      [3, 'same_addr', '00003c', 'FUNC'],
      [4, '_u_alias', '00003c', 'FUNC'],
      [5, 'aa_weak', '00003c', 'FUNC'],
      [6, 'helper', '000043', 'FUNC'],
      [7, 'part2', '000052', 'FUNC'],
      [8, 'mysec_start', '002008', 'OBJECT'],
      [9, '__z_first', '002010', 'OBJECT'],
      [10, '__start_mysec', '002010', 'NOTYPE'],
      [11, '_edata', '002014', 'NOTYPE'],
      [12, '__bss_start', '002014', 'NOTYPE'],
      [13, '_end', '002018', 'NOTYPE'],
    ]);
  });

  it('numbers the two static helpers by address, not by their order in the symbol table, each with its source file', () => {
    // The symbol table lists PART 2's helper (ffffffff81000043) first.
    expect(read.symbols?.byName.get('helper')?.map((e) => [e.index, e.address, e.sourceFile])).toEqual([
      [1, 'ffffffff8100000b', 'part1.c'],
      [6, 'ffffffff81000043', 'part2.c'],
    ]);
    expect(read.symbols?.byName.get('start_kernel')?.[0].sourceFile).toBeUndefined();
  });

  it('leaves out what scripts/kallsyms.c drops and what nm does not list', () => {
    for (const name of ['kallsyms_num_syms', '__crc_helper', 'abs_sym', 'local_abs', 'nonalloc_sym', 'part1.c', '']) {
      expect(read.symbols?.byName.has(name)).toBe(false);
    }
  });

  it.each([
    ['text', Buffer.from('not an ELF file, only some words that are long enough for a header')],
    ['a file cut before its section headers', bytes.subarray(0, 200)],
  ])('reports %s as one parse-error warning and gives no symbols', (_, input) => {
    const result = vmlinuxFromBytes(input, 'vmlinux');
    expect(result.symbols).toBeUndefined();
    expect(result.problems.map((p) => [p.code, p.severity, p.message.startsWith('not a readable vmlinux: ')])).toEqual([['parse-error', 'warning', true]]);
  });
});
