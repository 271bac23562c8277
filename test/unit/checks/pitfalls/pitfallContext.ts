// A CheckContext holding patch diffs read the way the engine reads them.
import { Memo } from '../../../../server/src/common/memo';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { CheckContext } from '../../../../server/src/checks/check';
import { verdictsOf } from '../../../../server/src/checks/verdicts';
import { emptyKernelContext, type KernelContext } from '../../../../server/src/kernel/types';
import { livepatchFromDiff, newFromDiffCache } from '../../../../server/src/model/fromDiff';
import type { Livepatch } from '../../../../server/src/model/livepatch';
import { newPatchParseCache, parsePatch } from '../../../../server/src/syntax/diff';
import { findHunkFunctions, newHunkFunctionCache } from '../../../../server/src/syntax/hunkFunctions';
import { readFixture } from '../../../helpers/fixtures';

export function diffLivepatch(text: string, file: string, kernel: KernelContext = emptyKernelContext()): Livepatch {
  const diff = findHunkFunctions(parsePatch(text, file));
  return livepatchFromDiff(diff, { name: file.replace(/\W/g, '_'), replace: true, kernel });
}

/** `memo`: the session's, shared by the contexts of one session (a new one: a fresh session). */
export function contextOf(livepatches: Livepatch[], kernel: KernelContext = emptyKernelContext(), memo = new Memo()): CheckContext {
  return { kernel, livepatches, plan: [], steps: [], results: [], loads: [], verdicts: verdictsOf(livepatches, [], memo), memo };
}

/** test/fixtures/checks/<id>/<file> as the only livepatch of the context; its parse must be clean (its objects may be unknown). */
export function fixtureContext(id: string, file: string, kernel: KernelContext = emptyKernelContext()): CheckContext {
  const lp = diffLivepatch(readFixture('checks', id, file), `${id}/${file}`, kernel);
  const parse = lp.problems.filter((p) => p.code !== 'unknown-build-object');
  if (parse.length > 0) throw new Error(`${id}/${file}: ${parse[0].message}`);
  return contextOf([lp], kernel);
}

/** kpatch's integration inputs under `dir` (test/integration), as `<distro>/<name>` and text. */
export function integrationPatches(dir: string): Array<{ name: string; text: string }> {
  return readdirSync(dir)
    .filter((distro) => statSync(path.join(dir, distro)).isDirectory())
    .flatMap((distro) =>
      readdirSync(path.join(dir, distro))
        .filter((name) => name.endsWith('.patch'))
        .map((name) => ({ name: `${distro}/${name}`, text: readFileSync(path.join(dir, distro, name), 'utf8') })),
    );
}

/** Reads the patch as the language server does at every edit: with every cache, the same kernel. */
export function reader(k: KernelContext): (text: string) => CheckContext {
  const read = livepatchReader(k, 'p.patch');
  const memo = new Memo();
  return (text) => contextOf([read(text)], k, memo);
}

/** Reads the livepatch of patch `file` as the language server does at every edit: with every cache, the same kernel. */
export function livepatchReader(k: KernelContext, file: string): (text: string) => Livepatch {
  const parse = newPatchParseCache();
  const functions = newHunkFunctionCache();
  const fromDiff = newFromDiffCache();
  return (text) => {
    const diff = findHunkFunctions(parsePatch(text, file, parse), { cache: functions });
    return livepatchFromDiff(diff, { name: file.replace(/\.patch$/, ''), replace: true, kernel: k, cache: fromDiff });
  };
}

/** A patch of `files` files, each changing one function. */
export function manyFiles(files: number): string {
  return Array.from({ length: files }, (_, i) =>
    [`--- a/drivers/x/f${i}.c`, `+++ b/drivers/x/f${i}.c`, '@@ -1,4 +1,4 @@', ` int f${i}(void)`, ' {', `-\treturn ${i};`, `+\treturn ${i + 1};`, ' }', ''].join('\n'),
  ).join('');
}
