// Real patches: kpatch's integration inputs and the patches of the GitHub corpus.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { livepatchFromDiff } from '../../../server/src/model/fromDiff';
import { functionsOf } from '../../../server/src/model/livepatch';
import { parsePatch } from '../../../server/src/syntax/diff';
import { findHunkFunctions } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { CORPUS, describeShared } from '../../helpers/shared';

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, keep) : keep(name) ? [full] : [];
  });
}

/** Really malformed: its one hunk says +33 but has 31 new lines (GNU patch: "malformed patch at line 39"). */
const MALFORMED = ['github/kazuru-chidumbwe__livepatch-differential-harness/pilot/patches/LP-CORPUS-05-inline-base.patch'];

describeShared('real patches (../shared/corpus)', () => {
  const patches = () => [
    ...filesUnder(path.join(CORPUS, 'kpatch/test/integration'), (n) => n.endsWith('.patch')),
    ...filesUnder(path.join(CORPUS, 'github'), (n) => n.endsWith('.patch') || n.endsWith('.diff')),
  ];
  let parser: CParser;
  beforeAll(async () => {
    parser = await CParser.create();
  });

  it('parse without parse errors, except the one really malformed patch', () => {
    const all = patches();
    expect(all.length).toBeGreaterThan(440);
    const withProblems = all.filter((f) => parsePatch(readFileSync(f, 'utf8'), f).problems.length > 0);
    expect(withProblems.map((f) => path.relative(CORPUS, f))).toEqual(MALFORMED);
  });

  it('go through findHunkFunctions and livepatchFromDiff; all but five kinds change a function', () => {
    const without = new Set<string>();
    for (const f of patches()) {
      const diff = findHunkFunctions(parsePatch(readFileSync(f, 'utf8'), f), { parser });
      if (functionsOf(livepatchFromDiff(diff, { name: 'p', replace: true, kernel: emptyKernelContext() })).length === 0) without.add(path.basename(f));
    }
    expect([...without].sort()).toEqual([
      // The hunk's context is a label (`skip_classify:`) and nothing before it in the patch names the function.
      'data-read-mostly.patch',
      // Only new functions (callbacks) are added.
      'macro-callbacks.patch',
      // Only an __init function changes, which the build tools refuse to patch.
      'meminfo-init-FAIL.patch',
      // diff -p cut the context before the name (`static __latent_entropy void run_timer_s`).
      'tracepoints-section.patch',
      // A blank line at the top of the file.
      'warn-detect-FAIL.patch',
    ]);
  });

  it.each([
    ['kpatch/test/integration/rhel-7.9/macro-printk.patch', 3, 16],
    ['github/SUSE__kernel-livepatch/SLE15-SP6-RT_Update_0/diff-vs-SLE15-SP6_Update_0.diff', 8, 32],
    ['github/fengjian__kpatch-sack-panic/ubuntu-4.4.0-62-generic-CVE-2019-11477.patch', 5, 11],
  ])('%s has the files and hunks grep -c counts', (file, files, hunks) => {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const grepCount = (re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;
    expect([grepCount(/^\+\+\+ /), grepCount(/^@@ /)]).toEqual([files, hunks]);
    const diff = parsePatch(text, file);
    expect([diff.files.length, diff.files.reduce((n, f) => n + f.hunks.length, 0)]).toEqual([files, hunks]);
  });
});
