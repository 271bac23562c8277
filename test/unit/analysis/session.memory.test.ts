// A long-lived session (the language server's) lets go of what an analysis read once a later
// analysis no longer reads it: a closed document's patch does not stay in memory for the
// session's life (a 20 MB module kept 3.9 GB after closing).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { collectGarbage } from '../../helpers/garbage';
import { oneHunkPatch } from '../../helpers/scaling';

describe('an analysis session', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-session-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps nothing of a patch the next analysis no longer reads', async () => {
    const session = await AnalysisSession.create();
    const kernel = emptyKernelContext();
    const [big, small] = [path.join(dir, 'big.patch'), path.join(dir, 'small.patch')];
    writeFileSync(big, oneHunkPatch(200));
    writeFileSync(small, oneHunkPatch(1));
    // The first analysis, of both, held by nothing but the session afterwards.
    const gone = ((first) => new WeakRef(first.livepatches.find((lp) => lp.file === big)!))(analyze({ paths: [big, small], kernel, fs: nodeFileSource(), session }));
    expect(gone.deref()?.objects.length).toBeGreaterThan(0);
    analyze({ paths: [small], kernel, fs: nodeFileSource(), session });
    await collectGarbage();
    expect(gone.deref()).toBeUndefined();
  });
});
