// The source files of a name's occurrences: from a vmlinux ELF symbol table (its STT_FILE
// symbols) onto the kallsyms or System.map table, and into the old_sympos choices.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { fixesFor } from '../../../server/src/checks';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { addSymbol, newObjectSymbols } from '../../../server/src/kernel/objectSymbols';
import { addSourceFiles } from '../../../server/src/kernel/symbolSourceFiles';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';

// The fixture vmlinux (test/fixtures/kernel/vmlinux/build.sh) defines the static `helper`
// in part1.c at ffffffff8100000b and in part2.c at ffffffff81000043.
const VMLINUX = fixturePath('kernel', 'vmlinux', 'vmlinux');
const systemMap = (helpers: string[]) => [...helpers.map((a) => `${a} t helper`), 'ffffffff8100001a T start_kernel', ''].join('\n');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-sourcefiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const f = path.join(tmp, `file${n++}`);
  writeFileSync(f, text);
  return f;
}

describe('loadKernelContext with a vmlinux beside System.map or kallsyms', () => {
  it('names the source file of each occurrence of a name that occurs more than once', async () => {
    const context = await loadKernelContext({ systemMap: file(systemMap(['ffffffff8100000b', 'ffffffff81000043'])), vmlinux: VMLINUX });
    expect(context.problems).toEqual([]);
    const vmlinux = context.objects.get('vmlinux');
    expect(vmlinux?.source).toBe('system-map');
    expect(vmlinux?.byName.get('helper')?.map((e) => [e.address, e.sourceFile])).toEqual([
      ['ffffffff8100000b', 'part1.c'],
      ['ffffffff81000043', 'part2.c'],
    ]);
    expect(vmlinux?.byName.get('start_kernel')?.[0].sourceFile).toBeUndefined();
  });

  it('matches a kallsyms moved by KASLR, and one read without CAP_SYSLOG (every address 0)', async () => {
    for (const addresses of [['ffffffff9a00000b', 'ffffffff9a000043'], ['0000000000000000', '0000000000000000']]) {
      const context = await loadKernelContext({ kallsyms: file(systemMap(addresses)), vmlinux: VMLINUX });
      expect(context.problems).toEqual([]);
      expect(context.objects.get('vmlinux')?.byName.get('helper')?.map((e) => e.sourceFile)).toEqual(['part1.c', 'part2.c']);
    }
  });

  it.each([
    ['another number of occurrences', ['ffffffff8100000b', 'ffffffff81000043', 'ffffffff81000090']],
    ['other relative addresses', ['ffffffff8100000b', 'ffffffff81000050']],
  ])('reports a vmlinux of another kernel (%s) as one vmlinux-mismatch warning and names no file', async (_, addresses) => {
    const context = await loadKernelContext({ systemMap: file(systemMap(addresses)), vmlinux: VMLINUX });
    expect(context.problems.map((p) => [p.code, p.severity, p.file])).toEqual([['vmlinux-mismatch', 'warning', VMLINUX]]);
    expect(context.problems[0].message).toContain('1 of 1 names that occur more than once differ (e.g. `helper`)');
    expect(context.objects.get('vmlinux')?.byName.get('helper')?.map((e) => e.sourceFile)).toEqual(addresses.map(() => undefined));
  });

  it('finds vmlinux in the kernel directory, and reports an explicit one that is missing', async () => {
    const dir = mkdtempSync(path.join(tmp, 'build-'));
    writeFileSync(path.join(dir, 'System.map'), systemMap(['ffffffff8100000b', 'ffffffff81000043']));
    writeFileSync(path.join(dir, 'vmlinux'), readFileSync(VMLINUX));
    const found = await loadKernelContext({ kernel: dir });
    expect(found.objects.get('vmlinux')?.byName.get('helper')?.map((e) => e.sourceFile)).toEqual(['part1.c', 'part2.c']);
    const missing = await loadKernelContext({ kernel: dir, vmlinux: path.join(dir, 'nonexistent') });
    expect(missing.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ['unreadable-input', 'error', `cannot read vmlinux ${path.join(dir, 'nonexistent')}: not a file`],
    ]);
  });
});

describe('the old_sympos choices', () => {
  let parser: CParser;
  beforeAll(async () => {
    parser = await CParser.create();
  });

  it('name the source file and the address of each occurrence', async () => {
    const kernel = await loadKernelContext({ systemMap: file(systemMap(['ffffffff8100000b', 'ffffffff81000043'])), vmlinux: VMLINUX });
    const lp = path.join(mkdtempSync(path.join(tmp, 'lp-')), 'lp.c');
    const text = readFileSync(fixturePath('checks', 'ambiguous-symbol', 'lp.c'), 'utf8').replace('"type_show"', '"helper"');
    writeFileSync(lp, text);
    const analysis = analyze({ paths: [lp], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) });
    const ambiguous = analysis.problems.find((p) => p.code === 'ambiguous-symbol');
    expect(ambiguous?.message).toContain('`helper` occurs 2 times in vmlinux');
    expect(fixesFor(ambiguous!, text, (message) => expect.fail(message)).map((f) => f.title)).toEqual([
      'Set .old_sympos = 1 (part1.c, ffffffff8100000b)',
      'Set .old_sympos = 2 (part2.c, ffffffff81000043)',
    ]);
  });
});

describe('addSourceFiles', () => {
  const table = (entries: Array<[string, string, string?]>) => {
    const symbols = newObjectSymbols('vmlinux', 'elf', 'vmlinux');
    for (const [name, address, sourceFile] of entries) addSymbol(symbols, name, address, 't', sourceFile);
    return symbols;
  };

  it('copies files by position for the names that occur more than once, and counts what differs', () => {
    const kallsyms = table([['a', '10'], ['a', '20'], ['b', '30'], ['c', '40'], ['c', '50'], ['d', 'zz'], ['d', '60']]);
    const elf = table([['a', '110', 'x.c'], ['a', '120', 'y.c'], ['b', '130', 'b.c'], ['c', '140', 'x.c'], ['d', '150', 'x.c'], ['d', '160', 'y.c']]);
    expect(addSourceFiles(kallsyms, elf)).toEqual({ named: 1, differing: ['c', 'd'] });
    expect(kallsyms.byName.get('a')?.map((e) => e.sourceFile)).toEqual(['x.c', 'y.c']);
    expect(kallsyms.byName.get('b')?.[0].sourceFile).toBeUndefined();
  });
});
