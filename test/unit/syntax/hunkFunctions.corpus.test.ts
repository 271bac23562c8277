// findHunkFunctions on real patches with the real kernel sources (tree-sitter).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parsePatch } from '../../../server/src/syntax/diff';
import { findHunkFunctions } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';
import { CORPUS, describeShared, sharedPath } from '../../helpers/shared';

describeShared('real patches and sources (../shared/corpus)', () => {
  let parser: CParser;
  beforeAll(async () => {
    parser = await CParser.create();
  });

  it('finds media_changed for the seed-004 cdrom hunk, with the real cdrom.c (tree-sitter)', () => {
    const diff = findHunkFunctions(parsePatch(readFixture('diff', 'cdrom-media-changed.patch'), 'cdrom.patch'), { parser, readSource: (p) => readFileSync(sharedPath('corpus/linux-6.1', p), 'utf8') });
    expect(diff.files[0].hunks[0].functions.map((f) => [f.name, f.source, f.changed])).toEqual([['media_changed', 'tree-sitter', true]]);
  });

  it('maps kpatch\'s meminfo patch onto the real fs/proc/meminfo.c (6.1) with tree-sitter', () => {
    const text = readFileSync(path.join(CORPUS, 'kpatch/test/integration/linux-6.2.0/data-new.patch'), 'utf8');
    const diff = findHunkFunctions(parsePatch(text, 'data-new.patch'), { parser, readSource: (p) => readFileSync(sharedPath('corpus/linux-6.1', p), 'utf8') });
    const changed = diff.files[0].hunks.flatMap((h) => h.functions.filter((f) => f.changed).map((f) => [f.name, f.source]));
    expect(changed).toEqual([['meminfo_proc_show', 'tree-sitter']]);
  });
});
