// `klp-lens try` on the example workspace (oracle tier, KLP_ORACLE=1): the hand-written modules
// built with klp-lens build, Debian's kernel under qemu runs the series, and every step's real
// state is the one `klp-lens state` predicts for the same series. proc-fix.patch is a patch diff
// that needs kpatch-build or klp-build: try leaves it out and says so, so `state` is asked about
// the series without it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TryReport } from '../../oracle/src/trySeries';
import { CACHE } from '../../oracle/src/paths';
import { kernelImage, setUp } from '../../oracle/src/setup';
import { packageRoot } from '../../server/src/common/packageRoot';
import { klpLens } from '../helpers/cli';

const ENABLED = process.env.KLP_ORACLE === '1';
if (!ENABLED) console.warn('[klp-lens tests] klp-lens try is skipped: set KLP_ORACLE=1 to boot a real kernel under qemu');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-try-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('klp-lens try (real kernel under qemu)', () => {
  it.skipIf(!ENABLED)(
    'reports per step the state klp-lens state predicts, on the example series',
    async () => {
      const kernel = await setUp((l) => console.log(`try: ${l}`));
      const examples = path.join(tmp, 'examples');
      cpSync(path.join(packageRoot(), 'examples'), examples, { recursive: true });
      const tried = await klpLens('try', '--vm-kernel', kernel.release, '--cache', CACHE, '--format', 'json', examples);
      expect(tried.code, tried.stderr + tried.stdout).toBe(0);
      const report = JSON.parse(tried.stdout) as TryReport;
      expect(report.release).toBe(kernel.release);
      expect(report.leftOut.some((l) => l.includes('proc-fix.patch'))).toBe(true);
      expect(report.steps.map((s) => s.differences)).toEqual(report.steps.map(() => []));

      // The same series without the patch diff, as `klp-lens state` reads it with the VM's kernel.
      const series = path.join(examples, 'series');
      writeFileSync(series, readFileSync(series, 'utf8').split('\n').filter((l) => !l.startsWith('proc-fix.patch')).join('\n'));
      const image = await kernelImage(kernel.release, CACHE, () => undefined);
      const state = await klpLens('state', '--format', 'json', '--kernel', kernel.buildDir, '--kallsyms', image.kallsyms, '--modules', image.modulesDir, examples);
      const predicted = (JSON.parse(state.stdout) as { steps: unknown[] }).steps;
      expect(report.steps.map((s) => s.predicted)).toEqual(predicted);
      expect(report.steps.map((s) => s.kernel)).toEqual(predicted);

      // The VM's sysfs after the last step, read as a machine: where the series leads.
      const running = await klpLens('state', '--kernel', kernel.buildDir, '--kallsyms', image.kallsyms, '--modules', image.modulesDir, '--running-root', report.machine, examples);
      expect(running.code, running.stdout + running.stderr).toBe(0);
      expect(running.stdout).toContain('the machine is where the series leads');
      expect(running.stdout).toMatch(/same {4}lp_cdrom: series enabled, machine enabled/);
    },
    30 * 60_000,
  );
});
