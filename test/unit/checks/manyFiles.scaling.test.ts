// The checks of a patch touching many files whose build object is unknown are linear in its
// files (issue 14, "edits cost the edit"): verdictsOf() searched every problem and every patched
// function of the livepatch for each such file (28 s of a 45 s profile of edits of a 50,000-line
// patch), inline-function every patched function for each changed one. 250 -> 2,000 files: 48.5x
// with the first, 42.8x with the second, 9-13x now.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { countingProperties, timeRatio } from '../../helpers/scaling';
import { verdictsOf } from '../../../server/src/checks/verdicts';
import { Memo } from '../../../server/src/common/memo';
import type { Livepatch, PatchObject } from '../../../server/src/model/livepatch';
import { manyFiles, reader } from './pitfalls/pitfallContext';

const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-verdicts-scaling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the checks of a patch of many files with no kernel', () => {
  it('take time linear in its files', async () => {
    const session = await AnalysisSession.create();
    const patch = (files: number) => {
      const file = path.join(dir, `p${files}.patch`);
      writeFileSync(file, manyFiles(files));
      return file;
    };
    const [small, large] = [patch(250), patch(2000)];
    const run = (file: string) => {
      const analysis = analyze({ paths: [file], kernel: emptyKernelContext(), fs: nodeFileSource(), session });
      expect(analysis.verdicts.functions.size).toBeGreaterThan(0);
    };
    // Linear: ~8; the search per file: ~64.
    expect(timeRatio(small, large, run)).toBeLessThan(24);
  });

  it('verdictsOf reads the object and source file of each function once', () => {
    const lp = reader(emptyKernelContext())(manyFiles(40)).livepatches[0];
    const reads = { count: 0 };
    const funcs = (o: PatchObject) => o.funcs.map((f) => countingProperties(f, ['object', 'sourceFile'], reads));
    // Without the functions file by file (a compiler's answer regroups them): one pass over the functions.
    const verdicts = verdictsOf([{ ...lp, objects: lp.objects.map((o) => ({ ...o, funcs: funcs(o) })), functionParts: undefined }], []);
    expect([...verdicts.functions.values()].map((v) => v.role)).toEqual(Array(40).fill('never'));
    expect(reads.count).toBe(2 * 40);
  });

  it("verdictsOf takes a diff's functions file by file (Livepatch.functionParts), reading none of them", () => {
    const lp = reader(emptyKernelContext())(manyFiles(40)).livepatches[0];
    const reads = { count: 0 };
    const counted = new Map(lp.objects.flatMap((o) => o.funcs.map((f) => [f, countingProperties(f, ['object', 'sourceFile'], reads)] as const)));
    const objects = lp.objects.map((o) => ({ ...o, funcs: o.funcs.map((f) => counted.get(f)!) }));
    const verdicts = verdictsOf([{ ...lp, objects, functionParts: lp.functionParts!.map((part) => part.map((f) => counted.get(f) ?? f)) }], []);
    expect(objects.flatMap((o) => o.funcs.map((f) => verdicts.functions.get(f)?.role))).toEqual(Array(40).fill('never'));
    expect(reads.count).toBe(0);
  });

  it("verdictsOf with the session's memo, again after an edit of one livepatch, reads only that one's functions", () => {
    const reads = { count: 0 };
    const counted = (lp: Livepatch) => ({ ...lp, objects: lp.objects.map((o) => ({ ...o, funcs: o.funcs.map((f) => countingProperties(f, ['object', 'sourceFile'], reads)) })) });
    const [edited, other] = [reader(emptyKernelContext())(manyFiles(10)).livepatches[0], counted(reader(emptyKernelContext())(manyFiles(40)).livepatches[0])];
    const memo = new Memo();
    const before = verdictsOf([edited, other], [], memo);
    reads.count = 0;
    const after = verdictsOf([{ ...edited }, other], [], memo);
    expect(after.functions.size).toBe(before.functions.size);
    expect(reads.count).toBe(0);
  });
});
