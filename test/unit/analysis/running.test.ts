// "Compare with this machine" on a snapshot of a real kernel's sysfs (test/fixtures/running).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { compareWithRunning } from '../../../server/src/analysis/running';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { readRunning } from '../../../server/src/kernel/running';
import { fixturePath } from '../../helpers/fixtures';
import { packageRoot } from '../../../server/src/common/packageRoot';
import * as path from 'node:path';

const machine = fixturePath('running', 'debian-6.1-examples');

describe('readRunning', () => {
  it('reads the livepatches, their objects and functions, and the loaded modules', () => {
    const running = readRunning(nodeFileSource(), machine);
    expect(running.problems).toEqual([]);
    expect(running.livepatches).toEqual([
      { name: 'lp_cdrom', enabled: true, transition: false, objects: [{ name: 'cdrom', patched: true, funcs: ['cdrom_ioctl_media_changed,1'] }] },
      { name: 'lp_cmdline', enabled: true, transition: false, objects: [{ name: 'vmlinux', patched: true, funcs: ['cmdline_proc_show,1', 'version_proc_show,1'] }] },
    ]);
    expect(running.modules).toEqual(['cdrom', 'lp_cdrom', 'lp_cmdline']);
  });

  it('says when the root is no machine', () => {
    const running = readRunning(nodeFileSource(), '/nonexistent');
    expect(running.problems.map((p) => p.severity)).toEqual(['error']);
  });
});

describe('compareWithRunning', () => {
  it('finds the example series where it leads, but for the patch diff try could not build', async () => {
    const examples = path.join(packageRoot(), 'examples');
    const kernel = await loadKernelContext({ kernel: path.join(examples, 'kernel') });
    const analysis = analyze({ paths: [examples], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() });
    const c = compareWithRunning(analysis.livepatches.map((lp) => lp.name), analysis.results.at(-1), readRunning(nodeFileSource(), machine));
    expect(c.rows).toEqual([
      { name: 'proc_fix', predicted: 'enabled', running: 'not loaded', differs: true },
      { name: 'lp_cmdline', predicted: 'enabled', running: 'enabled', differs: false },
      { name: 'lp_cdrom', predicted: 'enabled', running: 'enabled', differs: false },
    ]);
    expect(c.others).toEqual([]);
  });
});
