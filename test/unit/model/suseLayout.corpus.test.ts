// SUSE's real cumulative livepatch (SLE15-SP6_Update_0) read as the one module its parts make.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../../server/src/analysis/analyze';
import { patchStacks } from '../../../server/src/analysis/roles';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { functionsOf } from '../../../server/src/model/livepatch';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../helpers/shared';

const UPDATE0 = path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0');
const HAS_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

describeShared("SUSE's SLE15-SP6_Update_0 as one cumulative livepatch", () => {
  let parser: CParser;
  let debian: KernelContext;
  beforeAll(async () => {
    parser = await CParser.create();
    debian = await loadKernelContext({ kernel: DEBIAN_KERNEL });
  });
  const run = (kernel: KernelContext): Analysis => analyze({ paths: [UPDATE0], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) });

  it('is one replace livepatch holding all 67 rows, each kept at its row and traced to its klpp_ definition', () => {
    const { livepatches } = run(emptyKernelContext());
    expect(livepatches.map((lp) => [lp.name, lp.replace, lp.problems])).toEqual([['SLE15_SP6_Update_0', true, []]]);
    const funcs = functionsOf(livepatches[0]);
    expect(funcs).toHaveLength(67);
    for (const f of funcs) {
      expect(path.dirname(f.location.file), f.name).toBe(f.part);
      expect(f.newFuncDefinition?.file, f.newFunc).toMatch(new RegExp(`^${f.part}/.*\\.c$`));
      // The definition's range covers exactly the name the row gives.
      expect(f.newFuncDefinition!.range.end.character - f.newFuncDefinition!.range.start.character).toBe(f.newFunc!.length);
    }
  });

  // With Debian's x86-64 .config, bsc1225310's row for s390 (`defined(CONFIG_S390)`) is compiled out (checks/compiled-out.ts).
  it.each([
    ['without kernel data', () => emptyKernelContext(), 67, []],
    ["with Debian 6.1's", () => debian, 66, ['bsc1225310/patched_funcs.csv:2 drm_client_modeset_probe defined(CONFIG_S390)']],
  ])('%s: no dropped-function or replaced entry between its parts; the net/bluetooth/bluetooth object still reported', (_, kernel, functions, compiledOut) => {
    const analysis = run(kernel());
    expect(analysis.problems.filter((p) => p.code === 'dropped-function')).toEqual([]);
    expect(
      analysis.problems
        .filter((p) => p.code === 'compiled-out')
        .map((p) => `${path.relative(UPDATE0, p.file)}:${p.range.start.line + 1} ${(p.data as { name: string }).name} ${(p.data as { condition: string }).condition}`),
    ).toEqual(compiledOut);
    const roles = patchStacks(analysis).flatMap((s) => s.entries.map((e) => e.role));
    expect(roles.length).toBeGreaterThanOrEqual(functions);
    expect(roles.filter((r) => r === 'replaced')).toEqual([]);
    const bluetooth = analysis.problems.filter((p) => p.code === 'unknown-object' && (p.data as { object?: string } | undefined)?.object === 'net/bluetooth/bluetooth');
    expect(bluetooth.map((p) => [p.severity, path.relative(UPDATE0, p.file), p.range.start.line])).toEqual([['error', 'bsc1235008/patched_funcs.csv', 0]]);
  });

  it.skipIf(!HAS_BASH)('has the objects and functions, in order, that register-patches.sh writes into livepatch_main.c (its uname entries aside)', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'klp-lens-suse-'));
    try {
      cpSync(UPDATE0, work, { recursive: true });
      writeFileSync(path.join(work, 'empty.spec'), '');
      execFileSync('bash', ['scripts/register-patches.sh', 'livepatch_main.c', 'empty.spec'], { cwd: work, stdio: 'ignore' });
      const main = path.join(work, 'livepatch_main.c');
      const generated = livepatchFromModule(parser, readFileSync(main, 'utf8'), main, { name: 'generated' });
      const entries = (lp: typeof generated) => lp.objects.map((o) => [o.object, o.funcs.filter((f) => !f.name.includes('newuname')).map((f) => `${f.name},${f.sympos} ${f.newFunc}`)]);
      const [ours] = run(emptyKernelContext()).livepatches;
      expect(entries(ours)).toEqual(entries(generated));
      expect(ours.objects).toHaveLength(28);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
