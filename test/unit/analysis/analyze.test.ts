// analyze(): the simulator sees the kernel's symbol tables as klp_find_object_symbol() would.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';
import { memoryFiles } from '../../helpers/memoryFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

describe('analyze', () => {
  it('refuses the load of a patch whose function is not in a known symbol table', async () => {
    const dir = fixturePath('checks/unknown-symbol');
    const kernel = await loadKernelContext({ kernel: `${dir}/kernel` });
    const [load] = analyze({ paths: [dir], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) }).results;
    expect(load.ok).toBe(false);
    expect(load.error).toContain("symbol 'update_curr' not found in symbol table");
  });

  it('lets it load when no symbol table is known', () => {
    const dir = fixturePath('checks/unknown-symbol');
    const [load] = analyze({ paths: [dir], kernel: emptyKernelContext(), fs: nodeFileSource(), session: new AnalysisSession(parser) }).results;
    expect(load.ok).toBe(true);
  });
});

describe('a hand-written module with klp symbols', () => {
  it('reaches the simulator with the livepatch relocation sections `klp-lens build` converts them into', () => {
    const text = [
      '#include <linux/livepatch.h>',
      'extern u32 jhash(const void *key, u32 length, u32 initval) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, jhash, 2);',
      'extern int m_value(void) KLP_RELOC_SYMBOL(m, m, m_value);',
      'static int lp_f(void) { return m_value() + jhash("x", 1, 0); }',
      'static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_f, }, { } };',
      'static struct klp_object objs[] = { { .name = "m", .funcs = funcs, }, { } };',
      'static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };',
    ].join('\n');
    const analysis = analyze({ paths: ['/ws/lp.c'], kernel: emptyKernelContext(), fs: memoryFiles({ '/ws/lp.c': text }), session: new AnalysisSession(parser) });
    const load = analysis.steps[0];
    expect(load.action === 'load' && load.patch.klpRelocations).toEqual([
      { object: 'vmlinux', symbols: [{ object: 'vmlinux', name: 'jhash', sympos: 2 }] },
      { object: 'm', symbols: [{ object: 'm', name: 'm_value', sympos: 0 }] },
    ]);
  });
});
