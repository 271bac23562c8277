// The whole engine on real data: the Debian 6.1 kernel, the kpatch integration
// patches, every C file of the corpus and SUSE's cumulative livepatch.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';
import { CORPUS, DEBIAN_KERNEL, describeShared } from '../../helpers/shared';

function filesUnder(dir: string, match: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, match);
    return match.test(name) ? [full] : [];
  });
}

describeShared('the engine on real data', () => {
  let parser: CParser;
  let debian: KernelContext;
  beforeAll(async () => {
    parser = await CParser.create();
    debian = await loadKernelContext({ kernel: DEBIAN_KERNEL });
  });

  it('gives reference section 3 (lpa, lpb, lpc) on the Debian kernel, with no symbol problem', () => {
    const analysis = analyze({ paths: [fixturePath('cli/series')], kernel: debian, fs: nodeFileSource(), session: new AnalysisSession(parser) });
    const last = analysis.results[2];
    expect(last.patches.filter((p) => p.enabled).map((p) => p.name)).toEqual(['lpc']);
    expect(last.functions).toEqual([
      { object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1, stack: [], active: null },
      { object: 'vmlinux', name: 'version_proc_show', sympos: 1, stack: ['lpc'], active: 'lpc' },
    ]);
    const codes = new Set(analysis.problems.map((p) => p.code));
    expect([...codes].filter((c) => /symbol|sympos|internal/.test(c))).toEqual([]);
  });

  it('takes every kpatch integration patch and every corpus C file, each alone, without an internal error', () => {
    const inputs = [
      ...filesUnder(path.join(CORPUS, 'kpatch/test/integration'), /\.patch$/),
      ...filesUnder(CORPUS, /\.c$/),
    ];
    expect(inputs.length).toBeGreaterThan(500);
    for (const file of inputs) {
      const analysis = analyze({ paths: [file], kernel: debian, fs: nodeFileSource(), session: new AnalysisSession(parser) });
      expect(analysis.problems.filter((p) => p.code === 'internal-error' || p.code === 'unreadable-input'), file).toEqual([]);
      expect(analysis.livepatches, file).toHaveLength(1);
    }
  });

  it("finds the object named by a path in SUSE's cumulative livepatch (bsc1235008)", () => {
    const suse = path.join(CORPUS, 'github/SUSE__kernel-livepatch/SLE15-SP6_Update_0');
    const analysis = analyze({ paths: [suse], kernel: debian, fs: nodeFileSource(), session: new AnalysisSession(parser) });
    expect(analysis.problems.filter((p) => p.code === 'internal-error')).toEqual([]);
    const objects = analysis.problems.filter((p) => p.code === 'unknown-object');
    expect(objects.map((p) => path.relative(suse, p.file))).toContain('bsc1235008/patched_funcs.csv');
  });

  it('degrades without any kernel data: no symbol checks, no internal error', () => {
    const analysis = analyze({ paths: [fixturePath('cli/series')], kernel: emptyKernelContext(), fs: nodeFileSource(), session: new AnalysisSession(parser) });
    expect(analysis.problems.map((p) => p.code).filter((c) => /symbol|sympos|internal|object/.test(c))).toEqual([]);
    expect(analysis.results.map((r) => r.ok)).toEqual([true, true, true]);
  });
});
