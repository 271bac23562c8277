// transition-state-spelling: the transition states as the target kernel spells them ("livepatch:
// Rename KLP_* to KLP_TRANSITION_*", 6.10), either side of the rename, with the fix that writes them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../../server/src/analysis/session';
import { fixesFor } from '../../../../server/src/checks/index';
import type { TransitionStateSpellingData } from '../../../../server/src/checks/transition-state-spelling';
import type { Problem } from '../../../../server/src/common/problem';
import { kernelCapabilities } from '../../../../server/src/kernel/capabilities';
import { parseKernelVersion } from '../../../../server/src/kernel/kernelVersion';
import { applyEdits } from '../../../../server/src/edits/textEdits';
import { CParser } from '../../../../server/src/syntax/treeSitter';
import { kernel } from '../../../helpers/builders';
import { fixturePath } from '../../../helpers/fixtures';
import { memoryFiles } from '../../../helpers/memoryFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const OLD = readFileSync(fixturePath('checks', 'transition-state-spelling', 'old-names.c'), 'utf8');
const NEW = readFileSync(fixturePath('checks', 'transition-state-spelling', 'good.c'), 'utf8');

/** The check's problems for `text` as /ws/lp.c against a kernel of `version`. */
function spellingProblems(text: string, version: string) {
  const k = { ...kernel({ symbols: { vmlinux: ['cmdline_proc_show'] } }), capabilities: kernelCapabilities(parseKernelVersion(version, 'test')) };
  const { problems } = analyze({ paths: ['/ws/lp.c'], kernel: k, fs: memoryFiles({ '/ws/lp.c': text }), session: new AnalysisSession(parser) });
  return problems.filter((p): p is Problem<TransitionStateSpellingData> => p.code === 'transition-state-spelling');
}

describe('transition-state-spelling', () => {
  it('on 6.10 and later: the old names do not build, the new ones do', () => {
    expect(spellingProblems(OLD, '6.12.118').map((p) => p.data)).toEqual([
      { written: 'KLP_PATCHED', replacement: 'KLP_TRANSITION_PATCHED' },
      { written: 'KLP_UNDEFINED', replacement: 'KLP_TRANSITION_IDLE' },
    ]);
    expect(spellingProblems(NEW, '6.10.0')).toEqual([]);
  });

  it('before 6.10: the new names do not build, the old ones do', () => {
    expect(spellingProblems(NEW, '6.9.12').map((p) => p.data?.written)).toEqual(['KLP_TRANSITION_PATCHED', 'KLP_TRANSITION_IDLE']);
    expect(spellingProblems(OLD, '6.1.192')).toEqual([]);
  });

  it("fixes each use with the target's name, after which the check finds nothing", () => {
    let text = OLD;
    for (;;) {
      const [problem] = spellingProblems(text, '6.12.118');
      if (!problem) break;
      const [fix] = fixesFor(problem, text, () => undefined);
      expect(fix).toMatchObject({ title: `Write \`${problem.data?.replacement}\``, preferred: true });
      text = applyEdits(text, fix.edits);
    }
    expect(text).toBe(OLD.replace('KLP_PATCHED', 'KLP_TRANSITION_PATCHED').replace('KLP_UNDEFINED', 'KLP_TRANSITION_IDLE'));
    // No fix once the text at the place changed.
    const [problem] = spellingProblems(OLD, '6.12.118');
    expect(fixesFor(problem, OLD.replace('KLP_PATCHED', 'KLP_PATCHEX'), () => undefined)).toEqual([]);
  });
});
