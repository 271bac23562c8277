import * as path from 'node:path';
import { expect, it } from 'vitest';
import { analyze } from '../../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../../server/src/analysis/session';
import { fixesFor } from '../../../../server/src/checks/index';
import type { UnexportedSymbolData } from '../../../../server/src/checks/unexported-symbol';
import type { Problem } from '../../../../server/src/common/problem';
import { nodeFileSource } from '../../../../server/src/common/fileSource';
import { applyEdits } from '../../../../server/src/edits/textEdits';
import { loadKernelContext } from '../../../../server/src/kernel/context';
import { fixturePath, readFixture } from '../../../helpers/fixtures';

const dir = fixturePath('checks', 'unexported-symbol');

it('reports unexported vmlinux symbols with their positions, and fixes each as a klp symbol, one fix per position', async () => {
  const kernel = await loadKernelContext({ kernel: path.join(dir, 'kernel') });
  const file = path.join(dir, 'bad.c');
  const problems = analyze({ paths: [file], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() }).problems.filter((p): p is Problem<UnexportedSymbolData> => p.code === 'unexported-symbol');
  expect(problems.map((p) => [p.data?.symbol, p.data?.object, p.data?.positions.map((x) => x.sympos), p.data?.relocationObject])).toEqual([
    ['do_sys_open', 'vmlinux', [0], 'vmlinux'],
    ['ksys_sync', 'vmlinux', [1, 2], 'vmlinux'],
    // A static function of vmlinux the module declares itself.
    ['jhash', 'vmlinux', [1, 2], 'vmlinux'],
  ]);
  expect(problems[1].message).toContain('vmlinux has it 2 times');
  const text = readFixture('checks', 'unexported-symbol', 'bad.c');
  const fail = (m: string) => {
    throw new Error(m);
  };
  const [open] = fixesFor(problems[0], text, fail);
  const fixed = applyEdits(text, open.edits);
  expect(fixed).toContain('extern typeof(do_sys_open) do_sys_open KLP_RELOC_SYMBOL(vmlinux, vmlinux, do_sys_open);');
  expect(fixed).toContain('#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS)');
  const sync = fixesFor(problems[1], text, fail);
  expect(sync.map((f) => f.title)).toEqual([
    'Declare `ksys_sync` as a klp symbol of vmlinux at position 1 (ffffffff81300000)',
    'Declare `ksys_sync` as a klp symbol of vmlinux at position 2 (ffffffff81300100)',
  ]);
  expect(applyEdits(text, sync[1].edits)).toContain('extern typeof(ksys_sync) ksys_sync KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, ksys_sync, 2);');
});
