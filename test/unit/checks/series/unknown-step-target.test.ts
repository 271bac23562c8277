// unknown-step-target on its fixture: the messages, and the fix of a typo in the series line.
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { analyze } from '../../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../../server/src/analysis/session';
import { fixesFor } from '../../../../server/src/checks/index';
import { nodeFileSource } from '../../../../server/src/common/fileSource';
import { applyEdits } from '../../../../server/src/edits/textEdits';
import { loadKernelContext } from '../../../../server/src/kernel/context';
import { fixturePath, readFixture } from '../../../helpers/fixtures';

it('names what is not there, suggests the closest name and fixes the series line', async () => {
  const dir = fixturePath('checks', 'unknown-step-target');
  const kernel = await loadKernelContext({ kernel: path.join(dir, 'kernel') });
  const problems = analyze({ paths: [dir], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() }).problems.filter((p) => p.code === 'unknown-step-target');
  expect(problems.map((p) => p.message)).toEqual([
    '`lp_cmdlin` is no livepatch of the series (lp_cmdline): the step fails (echo 0 > /sys/kernel/livepatch/lp_cmdlin/enabled: No such file or directory). Did you mean `lp_cmdline`?',
    'no module of this kernel is named cdromm: `load-module cdromm` fails. Did you mean `cdrom`?',
    'vmlinux is the kernel image, no module: `load-module vmlinux` fails',
  ]);
  const text = readFixture('checks', 'unknown-step-target', 'series');
  const [fix] = fixesFor(problems[0], text, (m) => {
    throw new Error(m);
  });
  expect(fix.title).toBe('Change to `lp_cmdline`');
  expect(applyEdits(text, fix.edits)).toContain('\ndisable lp_cmdline\nload-module cdromm\n');
  expect(fixesFor(problems[2], text, () => undefined)).toEqual([]);
});
