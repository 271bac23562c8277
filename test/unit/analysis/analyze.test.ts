// analyze(): the simulator sees the kernel's symbol tables as klp_find_object_symbol() would.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';

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
