// fileSnapshot: one analysis reads each file, lists each directory and stats each path once.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { fileSnapshot } from '../../../server/src/analysis/fileSnapshot';
import type { FileSource } from '../../../server/src/common/fileSource';
import { emptyKernelContext } from '../../../server/src/kernel/types';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';
import { stubFiles } from '../../helpers/stubFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

/** Files in memory in the folder /ws, counting every call by kind and path. */
function countingFiles(files: Record<string, string>): { fs: FileSource; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (what: string) => calls.set(what, (calls.get(what) ?? 0) + 1);
  const fs: FileSource = stubFiles({
    readText: (file) => (count(`read ${file}`), files[file]),
    listDir: (dir) => (count(`list ${dir}`), dir === '/ws' ? Object.keys(files).map((f) => f.slice(4)).sort() : undefined),
    isDirectory: (file) => (count(`stat ${file}`), file === '/ws'),
  });
  return { fs, calls };
}

describe('fileSnapshot', () => {
  it('asks the file source once per file and kind of question', () => {
    const { fs, calls } = countingFiles({ '/ws/a.patch': 'x' });
    const snapshot = fileSnapshot(fs);
    expect(snapshot.readText('/ws/a.patch')).toBe('x');
    expect(snapshot.readText('/ws/a.patch')).toBe('x');
    expect(snapshot.readText('/ws/none')).toBeUndefined();
    expect(snapshot.readText('/ws/none')).toBeUndefined();
    expect(snapshot.isDirectory('/ws')).toBe(true);
    expect(snapshot.isDirectory('/ws')).toBe(true);
    expect(snapshot.listDir('/ws')).toEqual(['a.patch']);
    expect(snapshot.listDir('/nowhere')).toBeUndefined();
    expect(snapshot.listDir('/nowhere')).toBeUndefined();
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(5);
  });

  it('hands out a listing that the caller may change without changing the next one', () => {
    const snapshot = fileSnapshot(countingFiles({ '/ws/b.patch': '', '/ws/a.patch': '' }).fs);
    snapshot.listDir('/ws')!.push('c.patch');
    expect(snapshot.listDir('/ws')).toEqual(['a.patch', 'b.patch']);
  });

  it('lets analyze() read a livepatch module once, though the plan reads it to tell it is one', () => {
    const { fs, calls } = countingFiles({ '/ws/lpa.c': readFixture('cli', 'series', 'lpa.c') });
    const analysis = analyze({ paths: ['/ws'], kernel: emptyKernelContext(), fs, session: new AnalysisSession(parser) });
    expect(analysis.livepatches.map((lp) => lp.name)).toEqual(['lpa']);
    expect(calls.get('read /ws/lpa.c')).toBe(1);
  });
});
