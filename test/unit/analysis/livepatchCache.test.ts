// LivepatchCache: a livepatch whose inputs did not change is not read again; a changed
// text (or source, kernel, name) is; and an analysis with the cache equals one without.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { LivepatchCache } from '../../../server/src/analysis/livepatchCache';
import type { PlannedPatch } from '../../../server/src/analysis/readLivepatch';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { readFixture } from '../../helpers/fixtures';
import { memoryFiles } from '../../helpers/memoryFiles';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const diffItem: PlannedPatch = { kind: 'patch', file: '/ws/demo.patch', livepatchKind: 'diff', name: 'demo', noReplace: false };
const moduleItem: PlannedPatch = { kind: 'patch', file: '/ws/lpa.c', livepatchKind: 'module', name: 'lpa', noReplace: false };

const patched = (read: ReturnType<LivepatchCache['read']>) => ('error' in read ? [] : read.objects.flatMap((o) => o.funcs.map((f) => f.name)));

describe('LivepatchCache', () => {
  const demo = readFixture('diff', 'demo.patch');
  const lpa = readFixture('cli', 'series', 'lpa.c');
  const kernel = emptyKernelContext();

  it('returns the same livepatch while its text is unchanged, a new one once it changes', () => {
    const cache = new LivepatchCache();
    const files = { '/ws/demo.patch': demo, '/ws/lpa.c': lpa };
    const first = cache.read(diffItem, { kernel, fs: memoryFiles(files), parser });
    const module = cache.read(moduleItem, { kernel, fs: memoryFiles(files), parser });
    expect(cache.read(diffItem, { kernel, fs: memoryFiles({ ...files }), parser })).toBe(first);
    expect(cache.read(moduleItem, { kernel, fs: memoryFiles({ ...files }), parser })).toBe(module);

    const edited = demo.replace('static inline int helper(int x)', 'static inline int helper2(int x)');
    const second = cache.read(diffItem, { kernel, fs: memoryFiles({ ...files, '/ws/demo.patch': edited }), parser });
    expect(second).not.toBe(first);
    expect(patched(first)).toContain('helper');
    expect(patched(second)).toContain('helper2');
  });

  it('reads a diff again when an original source it read changed', () => {
    const cache = new LivepatchCache();
    const withSources: KernelContext = { ...emptyKernelContext(), sourceDir: '/src' };
    const source = readFixture('diff', 'source', 'kernel', 'demo.c');
    const files = { '/ws/demo.patch': demo, '/src/kernel/demo.c': source };
    const first = cache.read(diffItem, { kernel: withSources, fs: memoryFiles(files), parser });
    expect(cache.read(diffItem, { kernel: withSources, fs: memoryFiles(files), parser })).toBe(first);
    const changed = { ...files, '/src/kernel/demo.c': source.replace('\tdemo_value = 1;\n', '\tdemo_value = 7;\n') };
    const second = cache.read(diffItem, { kernel: withSources, fs: memoryFiles(changed), parser });
    expect(second).not.toBe(first);
    const sources = (read: ReturnType<LivepatchCache['read']>) => ('error' in read ? [] : read.diff!.files[0].hunks[0].functions.map((f) => f.source));
    expect(sources(first)).toEqual(['tree-sitter', 'tree-sitter']);
    expect(sources(second)).toEqual(['hunk-body', 'hunk-body']);
  });

  it('reads again for another kernel, another name or replace flag, and once an unreadable file appears', () => {
    const cache = new LivepatchCache();
    const fs = memoryFiles({ '/ws/demo.patch': demo });
    const first = cache.read(diffItem, { kernel, fs, parser });
    expect(cache.read(diffItem, { kernel: emptyKernelContext(), fs, parser })).not.toBe(first);
    const renamed = cache.read({ ...diffItem, name: 'other' }, { kernel, fs, parser });
    expect('error' in renamed ? undefined : renamed.name).toBe('other');
    const noReplace = cache.read({ ...diffItem, noReplace: true }, { kernel, fs, parser });
    expect('error' in noReplace ? undefined : noReplace.replace).toBe(false);

    const missing = cache.read(moduleItem, { kernel, fs, parser });
    expect('error' in missing).toBe(true);
    expect(cache.read(moduleItem, { kernel, fs, parser })).toBe(missing);
    expect('error' in cache.read(moduleItem, { kernel, fs: memoryFiles({ '/ws/lpa.c': lpa }), parser })).toBe(false);
  });

  it('forgets the livepatches not read since the last prune', () => {
    const cache = new LivepatchCache();
    const fs = memoryFiles({ '/ws/demo.patch': demo });
    const first = cache.read(diffItem, { kernel, fs, parser });
    cache.prune();
    expect(cache.read(diffItem, { kernel, fs, parser })).toBe(first);
    cache.prune();
    cache.prune();
    expect(cache.read(diffItem, { kernel, fs, parser })).not.toBe(first);
  });

  it('gives analyze() the same analysis as without it, edit after edit', () => {
    const session = new AnalysisSession(parser);
    const texts = [demo, demo.replace('+\treturn x * 3;', '+\treturn x * 4;'), demo.replace('static inline int helper', 'static int helper'), demo];
    for (const text of texts) {
      const fs = memoryFiles({ '/ws/demo.patch': text, '/ws/lpa.c': lpa });
      const cached = analyze({ paths: ['/ws'], kernel, fs, session });
      const fresh = analyze({ paths: ['/ws'], kernel, fs, session: new AnalysisSession(parser) });
      expect(cached).toEqual(fresh);
      expect(cached.livepatches.map((lp: Livepatch) => lp.name)).toEqual(['demo', 'lpa']);
    }
  });
});
