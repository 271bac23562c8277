// The references of a large hunk take work linear in its lines: the function each line lies
// in is looked up, not searched for (a search per line took a 1.2M-line hunk 523 s).
import { describe, expect, it } from 'vitest';
import { Memo } from '../../../../server/src/common/memo';
import { fileReferences } from '../../../../server/src/model/references/diffReferences';
import { parsePatch } from '../../../../server/src/syntax/diff';
import type { DiffFile } from '../../../../server/src/syntax/diffTypes';
import { findHunkFunctions } from '../../../../server/src/syntax/hunkFunctions';
import { countingArray, oneHunkPatch } from '../../../helpers/scaling';

/** The file of a one-hunk patch adding `added` lines, each function's lines counting their reads. */
function countedFile(added: number, reads: { count: number }): DiffFile {
  const [file] = findHunkFunctions(parsePatch(oneHunkPatch(added), 'big.patch')).files;
  const hunks = file.hunks.map((h) => ({ ...h, functions: h.functions.map((f) => ({ ...f, lines: f.lines && countingArray([...f.lines], reads) })) }));
  return { ...file, hunks };
}

describe('fileReferences on a large hunk', () => {
  it('reads the lines of the hunk functions a bounded number of times per line', () => {
    const added = 4000;
    const reads = { count: 0 };
    const refs = fileReferences('big.patch', countedFile(added, reads), new Memo());
    expect(refs.filter((r) => r.name === 'seq_printf')).toHaveLength(added);
    expect(refs.every((r) => r.inFunction === 'cmdline_proc_show')).toBe(true);
    // Once per line; a search per line reads ~added²/2 (8 million here).
    expect(reads.count).toBeLessThanOrEqual(2 * (added + 6));
  });
});
