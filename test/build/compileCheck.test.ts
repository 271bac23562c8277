// The compile check (`klp-lens changed`) on a real kernel tree with Debian's .config agrees
// with the truth sample: the same changed, new and removed functions and the same data, for
// every object of every patch. CI checks every fourth patch of the sample (prepare + two
// compilations each); KLP_BUILD_FULL=1 checks them all.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileChecker } from '../../server/src/compiler/compileCheck';
import { readKernelFile } from '../../server/src/kernel/compressed';
import { DEBIAN_KERNEL, HAS_SHARED } from '../helpers/shared';
import { BUILD_SKIP, BUILD_TIER, CACHE, ensureBuildPackages, originalTree, truthSample } from './truthData';

const log = (line: string) => console.log(`build tier: ${line}`);

describe(`the compile check on Debian's 6.1 tree${BUILD_TIER ? '' : ` — ${BUILD_SKIP}`}`, () => {
  it.skipIf(!BUILD_TIER || !HAS_SHARED)(
    'finds what the truth sample says the compiler changed, patch by patch',
    async () => {
      await ensureBuildPackages(log);
      const source = await originalTree(log);
      const configText = (await readKernelFile(path.join(DEBIAN_KERNEL, 'config.xz'))).toString('utf8');
      const checker = new CompileChecker({ source, configText, cacheDir: path.join(CACHE, 'klp-lens'), progress: log });
      const sample = truthSample().filter((_, i) => process.env.KLP_BUILD_FULL === '1' || i % 4 === 0);
      let seconds = 0;
      let compileSeconds = 0;
      for (const truth of sample) {
        const result = await checker.check(truth.patchFile, readFileSync(truth.patchFile, 'utf8'));
        seconds += result.seconds;
        compileSeconds += result.compileSeconds;
        expect(result.error, truth.name).toBeUndefined();
        const found = result.objects.map((o) => ({ object: o.object, source: o.source, target: o.target, ...o.changes }));
        expect(found, truth.name).toEqual(truth.objects);
      }
      log(`compile check: ${sample.length} patches agree with the truth sample, ${seconds.toFixed(0)} s (compiling ${compileSeconds.toFixed(0)} s)`);
    },
    45 * 60_000,
  );
});
