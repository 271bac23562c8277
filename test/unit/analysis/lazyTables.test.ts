// Cost follows what is asked (issue 14): a check of one livepatch against a kernel whose module
// tables come from the module index reads the tables of the objects it names, not every module's,
// and finds what it finds with every table read.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { packageRoot } from '../../../server/src/common/packageRoot';
import { loadKernelContext } from '../../../server/src/kernel/context';

const KERNEL = path.resolve(packageRoot(), '../shared/kernel/debian-6.1.0-56-amd64');
const indexDir = mkdtempSync(path.join(os.tmpdir(), 'klp-lazy-tables-'));
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

describe.runIf(existsSync(KERNEL))("a check against Debian 6.1's artifacts and nine modules, from the module index", () => {
  it.each(['examples/lp-cdrom.c', 'examples/proc-fix.patch'])('reads at most the table it needs: %s', async (file) => {
    const run = async (options: { indexDir: string | false }) => {
      const kernel = await loadKernelContext({ kernel: KERNEL, ...options });
      const analysis = analyze({ paths: [path.join(packageRoot(), file)], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() });
      return { kernel, problems: analysis.problems.map((p) => `${p.code}: ${p.message}`) };
    };
    await run({ indexDir }); // writes the index
    const lazy = await run({ indexDir });
    expect(lazy.kernel.objects.unread).toBeGreaterThanOrEqual(8);
    expect(lazy.problems).toEqual((await run({ indexDir: false })).problems);
  });
});
