// The on-disk cache of kallsyms, System.map, Module.symvers, the .config and the module lists as parsed
// (server/src/kernel/artifactIndex.ts): a load from it gives what reading the files gives, reads
// none of them, is not used once a file changed, and never trusts a damaged cache.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Memo } from '../../../server/src/common/memo';
import { loadKernelContext, type KernelOptions } from '../../../server/src/kernel/context';
import { clonesOf } from '../../../server/src/kernel/symbolClones';
import type { KernelContext } from '../../../server/src/kernel/types';
import { fixturePath } from '../../helpers/fixtures';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'klp-artifact-index-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SHARED = path.resolve(__dirname, '../../../../shared/kernel/debian-6.1.0-56-amd64');

// Counts the kernel files read.
const reads = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('../../../server/src/kernel/compressed', async (original) => {
  const actual = await original<typeof import('../../../server/src/kernel/compressed')>();
  return { ...actual, readKernelFile: (...args: Parameters<typeof actual.readKernelFile>) => (reads.files.push(path.basename(args[0])), actual.readKernelFile(...args)) };
});

let folders = 0;
/** A kernel folder holding copies (or, for large ones, links) of `files`, and a fresh index folder. */
function kernelWith(files: Record<string, string>, link = false): { kernel: string; indexDir: string } {
  const dir = path.join(scratch, String(folders++));
  mkdirSync(path.join(dir, 'kernel'), { recursive: true });
  for (const [name, from] of Object.entries(files)) (link ? symlinkSync : copyFileSync)(from, path.join(dir, 'kernel', name));
  return { kernel: path.join(dir, 'kernel'), indexDir: path.join(dir, 'index') };
}

/** What a load tells of the artifacts: the exports, vmlinux's and kallsyms' modules' tables, the modules, the problems. */
function seen(context: KernelContext): unknown {
  return {
    exports: [...context.exports],
    config: context.config && [...context.config],
    tables: [...context.objects].map(([name, t]) => [name, { ...t, byName: [...t.byName] }]),
    modules: [...context.modules],
    has: context.has,
    problems: context.problems.map((p) => `${p.file}:${p.range.start.line}: ${p.message}`),
  };
}

/** The artifacts' cache files (not the index of the modules folder: kernel/moduleIndex.ts). */
function cacheFiles(indexDir: string): string[] {
  return existsSync(indexDir) ? readdirSync(indexDir).filter((f) => !f.startsWith('modules-')).map((f) => path.join(indexDir, f)) : [];
}

const ARTIFACTS = {
  kallsyms: fixturePath('kernel', 'kallsyms'),
  'Module.symvers': fixturePath('kernel', 'Module.symvers'),
  config: fixturePath('kernel', 'artifacts', 'config'),
  'modules.order': fixturePath('kernel', 'modules.order'),
  'modules.builtin': fixturePath('kernel', 'modules.builtin'),
  'modules.builtin.modinfo': fixturePath('kernel', 'modules.builtin.modinfo'),
};
const DEBIAN = ['kallsyms.xz', 'Module.symvers.xz', 'config.xz', 'modules.order.xz', 'modules.builtin.xz', 'modules.builtin.modinfo.xz'];

describe('the artifact cache', () => {
  it.each([
    ['kallsyms (with [module] lines), Module.symvers, a .config and the module lists', ARTIFACTS, false],
    ['System.map', { 'System.map': fixturePath('kernel', 'System.map') }, false],
    ['compressed artifacts', { 'kallsyms.xz': fixturePath('kernel', 'artifacts', 'kallsyms.xz'), 'Module.symvers.xz': fixturePath('kernel', 'artifacts', 'Module.symvers.xz') }, false],
    ["Debian 6.1's kallsyms, Module.symvers, config and module lists", Object.fromEntries(DEBIAN.map((f) => [f, path.join(SHARED, f)])), true],
  ])('gives what reading the files gives, and reads none of them once written: %s', async (_, files, link) => {
    if (Object.values(files).some((f) => !existsSync(f))) return console.warn(`[klp-lens tests] ${SHARED} is absent: the artifact cache is not compared on it`);
    const { kernel, indexDir } = kernelWith(files, link);
    const read = seen(await loadKernelContext({ kernel, indexDir: false }));
    expect(seen(await loadKernelContext({ kernel, indexDir }))).toEqual(read);
    expect(cacheFiles(indexDir).length).toBe(Object.keys(files).length);
    reads.files = [];
    const cached = await loadKernelContext({ kernel, indexDir });
    expect(reads.files).toEqual([]);
    // Lookups before the tables are iterated (a SortedMap decodes only what it is asked): a name's
    // entries, its holders and its compiler clones, as the parsed tables answer them.
    const parsed = await loadKernelContext({ kernel, indexDir: false });
    const [table, parsedTable] = [cached.objects.get('vmlinux'), parsed.objects.get('vmlinux')];
    let i = 0;
    for (const [name, entries] of parsedTable?.byName ?? []) {
      expect(table?.byName.get(name)).toEqual(entries);
      // Debian's 94,266 names: holders and clones of one in 97.
      if (i++ % 97 !== 0) continue;
      const base = name.split('.')[0];
      expect(cached.objects.holders(base, true)).toEqual(parsed.objects.holders(base, true));
      expect(clonesOf(new Memo(), table!, base)).toEqual(clonesOf(new Memo(), parsedTable!, base));
    }
    expect(seen(cached)).toEqual(read);
  });

  it('is read anew when its file changes, or the read limits do', async () => {
    const { kernel, indexDir } = kernelWith(ARTIFACTS);
    await loadKernelContext({ kernel, indexDir });
    writeFileSync(path.join(kernel, 'kallsyms'), 'ffffffff81000000 T only_this\n');
    writeFileSync(path.join(kernel, 'Module.symvers'), '0x1\tone\tvmlinux\tEXPORT_SYMBOL\t\n');
    const changed = await loadKernelContext({ kernel, indexDir });
    expect([...changed.objects.get('vmlinux')!.byName.keys()]).toEqual(['only_this']);
    expect([...changed.exports.keys()]).toEqual(['one']);
    expect(seen(changed)).toEqual(seen(await loadKernelContext({ kernel, indexDir: false })));

    const limited: KernelOptions = { kernel, indexDir, limits: { textBytes: 1 << 20, kernelBytes: 10, decompressedBytes: 1 << 20, workspaceEntries: 10, moduleEntries: 10 } };
    expect(seen(await loadKernelContext(limited))).toEqual(seen(await loadKernelContext({ ...limited, indexDir: false })));
  });

  it('is never trusted when damaged: a bad header or section is not used, the files are read and the cache made again', async () => {
    const { kernel, indexDir } = kernelWith(ARTIFACTS);
    const read = seen(await loadKernelContext({ kernel, indexDir: false }));
    await loadKernelContext({ kernel, indexDir });
    for (const file of cacheFiles(indexDir)) {
      const good = readFileSync(file);
      for (const at of [20, good.length - 40, good.length - 1]) {
        const damaged = Buffer.from(good);
        damaged[at] ^= 0xff;
        writeFileSync(file, damaged);
        reads.files = [];
        expect(seen(await loadKernelContext({ kernel, indexDir }))).toEqual(read);
        expect(reads.files.length).toBeGreaterThan(0);
        expect(readFileSync(file)).toEqual(good);
      }
    }
  });

  it('whatever bytes of it are changed, gives what reading the files gives', async () => {
    const { kernel, indexDir } = kernelWith(ARTIFACTS);
    const read = seen(await loadKernelContext({ kernel, indexDir: false }));
    await loadKernelContext({ kernel, indexDir });
    const files = cacheFiles(indexDir);
    const goods = files.map((f) => readFileSync(f));
    await fc.assert(
      fc.asyncProperty(fc.nat(files.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), async (which, flips) => {
        const bytes = Buffer.from(goods[which]);
        for (const [at, mask] of flips) bytes[at % bytes.length] ^= mask;
        writeFileSync(files[which], bytes);
        expect(seen(await loadKernelContext({ kernel, indexDir }))).toEqual(read);
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});
