// The on-disk index of a modules folder (server/src/kernel/moduleIndex.ts): a load from it gives
// what reading the .ko files gives, reads none of them, is not used once a file changed, and
// never trusts a damaged index.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CacheWrites } from '../../../server/src/kernel/cacheWrites';
import { loadKernelContext, type KernelOptions } from '../../../server/src/kernel/context';
import { indexFileOf } from '../../../server/src/kernel/moduleIndex';
import { hashName } from '../../../server/src/kernel/nameHashes';
import type { KernelContext } from '../../../server/src/kernel/types';
import { fixturePath } from '../../helpers/fixtures';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'klp-module-index-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const DEBIAN = path.resolve(__dirname, '../../../../shared/kernel/debian-6.1.0-56-amd64');
const SHARED_MODULES = path.join(DEBIAN, 'modules');

let folders = 0;
/** A copy of a folder of modules and a fresh index folder. */
function copyOf(modules: string): { modules: string; indexDir: string } {
  const dir = path.join(scratch, String(folders++));
  cpSync(modules, path.join(dir, 'modules'), { recursive: true, preserveTimestamps: true });
  return { modules: path.join(dir, 'modules'), indexDir: path.join(dir, 'index') };
}

/** What a load tells of the modules: each one's info, each table entry by entry, the problems. */
function seen(context: KernelContext): unknown {
  const names = [...context.modules.keys()].sort();
  return {
    modules: names.map((n) => context.modules.get(n)),
    tables: names.map((n) => {
      const table = context.objects.get(n);
      return table && { ...table, byName: [...table.byName] };
    }),
    problems: context.problems.map((p) => p.message),
    release: context.release,
  };
}

/**
 * Expects `context`'s holders() of each symbol of the modules, and of its base name with clones,
 * to be what a scan of the tables of a load of `options` without an index gives.
 */
async function expectHoldersAsScanned(context: KernelContext, options: KernelOptions): Promise<void> {
  const tables = [...(await loadKernelContext({ ...options, indexDir: false })).objects.values()];
  const bases = tables.map((t) => new Set([...t.byName.keys()].map((s) => s.split('.')[0])));
  const names = new Set(tables.filter((t) => t.object !== 'vmlinux').flatMap((t) => [...t.byName.keys()]));
  expect(names.size).toBeGreaterThan(4000);
  for (const name of names) {
    const base = name.split('.')[0];
    expect(context.objects.holders(name)).toEqual(tables.filter((t) => t.byName.has(name)).map((t) => t.object));
    expect(context.objects.holders(base, true)).toEqual(tables.filter((_, i) => bases[i].has(base)).map((t) => t.object));
  }
  // A name with a dot asked with its clones: `foo.isra` holds `foo.isra.0`, not `foo.isra0`.
  for (const name of [...names].filter((n) => n.includes('.')).slice(0, 300)) {
    const stem = name.slice(0, name.lastIndexOf('.'));
    expect(context.objects.holders(stem, true)).toEqual(tables.filter((t) => [...t.byName.keys()].some((s) => s === stem || s.startsWith(`${stem}.`))).map((t) => t.object));
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

// Counts the module files read.
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../server/src/kernel/modinfo', async (original) => {
  const actual = await original<typeof import('../../../server/src/kernel/modinfo')>();
  return { ...actual, readModuleFile: (...args: Parameters<typeof actual.readModuleFile>) => (reads.count++, actual.readModuleFile(...args)) };
});

describe('the module index', () => {
  it.each([
    ['the fixture modules (little- and big-endian, 32-bit, truncated, a livepatch)', fixturePath('kernel', 'elf')],
    ["Debian 6.1's nine modules", SHARED_MODULES],
  ])('gives what reading the modules gives, and reads none of them once written: %s', async (_, source) => {
    if (!existsSync(source)) return console.warn(`[klp-lens tests] ${source} is absent: the module index is not compared on it`);
    const { modules, indexDir } = copyOf(source);
    const read = seen(await loadKernelContext({ modules, indexDir: false }));
    expect(seen(await loadKernelContext({ modules, indexDir }))).toEqual(read);
    expect(existsSync(indexFileOf(indexDir, modules))).toBe(true);
    reads.count = 0;
    expect(seen(await loadKernelContext({ modules, indexDir }))).toEqual(read);
    expect(reads.count).toBe(0);
    expect(files(modules).length).toBeGreaterThan(3);
  });

  it('answers holders() as a scan of every table does, compiler clones included', async () => {
    if (!existsSync(SHARED_MODULES)) return console.warn(`[klp-lens tests] ${SHARED_MODULES} is absent`);
    const { modules, indexDir } = copyOf(SHARED_MODULES);
    await loadKernelContext({ modules, indexDir });
    const indexed = await loadKernelContext({ modules, indexDir });
    const unread = indexed.objects.unread;
    await expectHoldersAsScanned(indexed, { modules });
    // Answered from the names: no table read.
    expect(indexed.objects.unread).toBe(unread);
  });

  // The first load of a kernel does not wait for its caches to be written (issue 14, "ready fast").
  it('answers from memory until the caller writes the caches, as the index written answers after', async () => {
    if (!existsSync(DEBIAN)) return console.warn(`[klp-lens tests] ${DEBIAN} is absent`);
    const indexDir = path.join(scratch, String(folders++));
    const writes = new CacheWrites();
    const context = await loadKernelContext({ kernel: DEBIAN, indexDir, cacheWrites: writes });
    expect(existsSync(indexDir) ? readdirSync(indexDir).filter((f) => f.endsWith('.idx')) : []).toEqual([]);
    expect(writes.size).toBeGreaterThan(3); // the module index, kallsyms, Module.symvers, .config, the lists
    const unread = context.objects.unread;
    await expectHoldersAsScanned(context, { kernel: DEBIAN });
    expect(context.objects.unread).toBe(unread);
    expect(seen(context)).toEqual(seen(await loadKernelContext({ kernel: DEBIAN, indexDir: false })));

    writes.flush();
    // And the record of the modules folder's walk, unless its folders are too new to be trusted (moduleFolder.test.ts).
    const written = readdirSync(indexDir).map((f) => f.replace(/-\w+\.idx$/, '')).filter((kind) => kind !== 'module-listing');
    expect(written.sort()).toEqual(['config', 'kallsyms', 'list-builtin', 'list-builtin-modinfo', 'list-order', 'modules', 'symvers']);
    await expectHoldersAsScanned(context, { kernel: DEBIAN }); // now from the file
    reads.count = 0;
    expect(seen(await loadKernelContext({ kernel: DEBIAN, indexDir }))).toEqual(seen(context));
    expect(reads.count).toBe(0);
  });

  // Two names of one FNV-1a hash (nameHashes.ts), found by a search: while the index is not
  // written, each is held by its own module only.
  it('tells apart, before the index is written, two names that share a hash', async () => {
    const [x, y] = ['tiny_dsblxwp', 'tiny_vfovecs'];
    expect(hashName(x)).toBe(hashName(y));
    const dir = path.join(scratch, String(folders++));
    const tiny = readFileSync(fixturePath('kernel', 'elf', 'tiny.ko'));
    const renamed = (module: string, symbol: string) => {
      const bytes = Buffer.from(tiny);
      for (const [from, to] of [[`name=tiny\0`, `name=${module}\0`], [`tiny_counter\0`, `${symbol}\0`]]) {
        expect(from.length).toBe(to.length);
        bytes.write(to, bytes.indexOf(from), 'latin1');
      }
      return bytes;
    };
    mkdirSync(path.join(dir, 'modules'), { recursive: true });
    writeFileSync(path.join(dir, 'modules', 'tinx.ko'), renamed('tinx', x));
    writeFileSync(path.join(dir, 'modules', 'tiny.ko'), renamed('tiny', y));
    const context = await loadKernelContext({ modules: path.join(dir, 'modules'), indexDir: path.join(dir, 'index'), cacheWrites: new CacheWrites() });
    expect([context.objects.holders(x), context.objects.holders(y), context.objects.holders('tiny_counter')]).toEqual([['tinx'], ['tiny'], []]);
    expect(context.objects.holders('tiny_other')).toEqual(['tinx', 'tiny']);
  });

  it('names each module file by its path in the folder however the folder is written', async () => {
    const { modules } = copyOf(fixturePath('kernel', 'elf'));
    const paths = async (folder: string) => [...(await loadKernelContext({ modules: folder, indexDir: false })).modules.values()].map((m) => m.path);
    const expected = await paths(modules);
    expect(expected.length).toBeGreaterThan(0);
    for (const folder of [`${modules}/`, `${path.dirname(modules)}/./modules`, path.relative(process.cwd(), modules)]) expect(await paths(folder)).toEqual(expected);
  });

  it('is read anew when a module file changes', async () => {
    const { modules, indexDir } = copyOf(fixturePath('kernel', 'elf'));
    const before = seen(await loadKernelContext({ modules, indexDir }));
    cpSync(path.join(modules, 'tiny_lp.ko'), path.join(modules, 'tiny.ko'));
    const changed = await loadKernelContext({ modules, indexDir });
    expect(seen(changed)).toEqual(seen(await loadKernelContext({ modules, indexDir: false })));
    expect(seen(changed)).not.toEqual(before);
  });

  it('is never trusted when damaged: a bad header is read anew, a bad table or names section is not used, and the index is made again', async () => {
    const { modules, indexDir } = copyOf(fixturePath('kernel', 'elf'));
    const read = seen(await loadKernelContext({ modules, indexDir: false }));
    await loadKernelContext({ modules, indexDir });
    const index = indexFileOf(indexDir, modules);
    const bytes = readFileSync(index);
    writeFileSync(index, Buffer.concat([bytes.subarray(0, 20), Buffer.from('!'), bytes.subarray(21)]));
    expect(seen(await loadKernelContext({ modules, indexDir }))).toEqual(read);

    // The index written again (its sections in the order the reads ended).
    const damaged = Buffer.from(readFileSync(index));
    const bodyStart = 12 + damaged.readUInt32LE(8);
    const header = JSON.parse(damaged.subarray(12, bodyStart).toString('utf8'));
    const tiny = header.modules.find((m: { name: string }) => m.name === 'tiny').table;
    damaged[bodyStart + tiny.offset + 10] ^= 0xff;
    writeFileSync(index, damaged);
    const context = await loadKernelContext({ modules, indexDir });
    expect(context.objects.get('tiny')).toBeUndefined();
    expect(context.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^the symbol table of tiny is not known: .* does not match its checksum/));
    expect(readFileSync(index).subarray(0, 8).toString()).not.toBe('KLPMIDX1');
    expect(seen(await loadKernelContext({ modules, indexDir }))).toEqual(read);

    // The names: holders() reads every table instead, and answers the same.
    const current = readFileSync(index);
    const blocks: { first: string; section: { offset: number } }[] = JSON.parse(current.subarray(12, 12 + current.readUInt32LE(8)).toString('utf8')).blocks;
    const symbol = [...(await loadKernelContext({ modules, indexDir: false })).objects.get('tiny')!.byName.keys()][0];
    const expected = (await loadKernelContext({ modules, indexDir: false })).objects.holders(symbol);
    const again = Buffer.from(current);
    // The block the symbol falls in.
    again[12 + current.readUInt32LE(8) + blocks.filter((b) => b.first <= symbol).at(-1)!.section.offset] ^= 0xff;
    writeFileSync(index, again);
    const fallback = await loadKernelContext({ modules, indexDir });
    expect(fallback.objects.holders(symbol)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(fallback.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^which modules hold each symbol name is not known: .* does not match its checksum/));
  });
});
