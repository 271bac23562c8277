// kpatch's integration suite, each patch checked alone as `klp-lens check PATCH` does with no
// kernel given: every patch kpatch-build must refuse (`-FAIL`) gets an error or a warning that
// names why, and no patch it builds gets an error.
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { memoryFiles } from '../../helpers/memoryFiles';
import { CORPUS, describeShared } from '../../helpers/shared';
import { integrationPatches } from './pitfalls/pitfallContext';

/** Why kpatch-build refuses each kind of -FAIL patch, as the check that says so. */
const REASON: Record<string, string> = {
  'meminfo-init-FAIL.patch': 'init-function',
  'meminfo-init2-FAIL.patch': 'init-function',
  'warn-detect-FAIL.patch': 'no-functional-change',
  'symvers-disagreement-FAIL.patch': 'symbol-version-change',
};

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

describeShared('kpatch integration patches, each alone, no kernel', () => {
  it('refuses every -FAIL patch for its reason and errs on none of the others', () => {
    const patches = integrationPatches(path.join(CORPUS, 'kpatch/test/integration'));
    const kernel = emptyKernelContext();
    const findings = patches.map(({ name, text }) => {
      const file = `/ws/${name.replace('/', '_')}`;
      const { problems } = analyze({ paths: [file], kernel, fs: memoryFiles({ [file]: text }), session: new AnalysisSession(parser) });
      return { name, problems };
    });
    const fails = findings.filter((f) => f.name.endsWith('-FAIL.patch'));
    expect(fails).toHaveLength(65);
    const unexplained = fails.filter(({ name, problems }) => {
      const reason = REASON[path.basename(name)];
      return !problems.some((p) => p.code === reason && (p.severity === 'error' || p.severity === 'warning'));
    });
    expect(unexplained.map((f) => f.name)).toEqual([]);
    const others = findings.filter((f) => !f.name.endsWith('-FAIL.patch'));
    expect(others).toHaveLength(379);
    const wronglyRefused = others.filter((f) => f.problems.some((p) => p.severity === 'error')).map((f) => `${f.name}: ${f.problems.find((p) => p.severity === 'error')?.code}`);
    expect(wronglyRefused).toEqual([]);
  });
});
