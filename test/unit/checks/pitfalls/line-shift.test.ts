import * as path from 'node:path';
import { expect, it } from 'vitest';
import { analyze } from '../../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../../server/src/analysis/session';
import { fixesFor } from '../../../../server/src/checks/index';
import { nodeFileSource } from '../../../../server/src/common/fileSource';
import { applyEdits } from '../../../../server/src/edits/textEdits';
import { loadKernelContext } from '../../../../server/src/kernel/context';
import { fixturePath, readFixture } from '../../../helpers/fixtures';

const dir = fixturePath('checks', 'line-shift');

it('names the later functions whose __LINE__ moves, and its fix pins the lines as klp-build does', async () => {
  const kernel = await loadKernelContext({ kernel: path.join(dir, 'kernel') });
  const bad = path.join(dir, 'bad.patch');
  const problems = analyze({ paths: [bad], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() }).problems.filter((p) => p.code === 'line-shift');
  expect(problems.map((p) => [p.range.start.line, p.data])).toEqual([[2, { functions: ['demo_update'], delta: 2 }]]);
  expect(problems[0].message).toContain('`demo_update`');
  const text = readFixture('checks', 'line-shift', 'bad.patch');
  const [fix] = fixesFor(problems[0], text, (m) => {
    throw new Error(m);
  });
  // The fixed hunk is good.patch's.
  expect(applyEdits(text, fix.edits)).toBe(readFixture('checks', 'line-shift', 'good.patch'));
});
