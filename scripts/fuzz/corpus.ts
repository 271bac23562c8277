// The real inputs the fuzzer mutates, by kind: the repository's examples and fixtures, and,
// when ../shared is beside the repository, its corpus (kpatch's and others' patches, SUSE's
// livepatch modules and patched_funcs.csv) and Debian 6.1's kernel artifacts. Loaded once per
// process; every list is sorted, so that a seed means the same inputs on every machine with
// the same files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { readKernelFile } from '../../server/src/kernel/compressed';
import { klpObject } from './klpObject';

export const ROOT = path.resolve(__dirname, '../..');
export const SHARED = path.resolve(ROOT, '../shared');
export const DEBIAN_KERNEL = path.join(SHARED, 'kernel/debian-6.1.0-56-amd64');

export interface TextSample {
  name: string;
  text: string;
}

export interface ByteSample {
  name: string;
  bytes: Uint8Array;
}

export interface Corpus {
  patches: TextSample[];
  modules: TextSample[];
  csvs: TextSample[];
  series: TextSample[];
  symvers: TextSample[];
  /** /proc/kallsyms dumps and System.map files (the same line format). */
  kallsyms: TextSample[];
  configs: TextSample[];
  /** Plain ELF modules and objects: the fixtures, Debian's smaller modules decompressed, an object with klp symbols (when GCC is here). */
  kos: ByteSample[];
  /** .ko.xz and .ko.zst as shipped, and compressed kernel artifacts. */
  compressed: ByteSample[];
}

/** Larger files are left out: the fuzzer's inputs stay small enough for many runs. */
const MAX_TEXT = 256 * 1024;
const MAX_MODULE = 512 * 1024;
/** The lines of one window cut out of Debian's large tables. */
const WINDOW_LINES = 3000;

function walk(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => path.join(dir, rel))
    .filter((file) => keep(file) && statSync(file).isFile() && statSync(file).size <= MAX_TEXT)
    .sort();
}

const texts = (files: string[]): TextSample[] => files.map((file) => ({ name: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }));
const bytesOf = (files: string[]): ByteSample[] => files.map((file) => ({ name: path.relative(ROOT, file), bytes: readFileSync(file) }));
const under = (dirs: string[], keep: (file: string) => boolean) => dirs.flatMap((d) => walk(path.join(ROOT, d), keep));
const named = (name: string) => (file: string) => path.basename(file) === name;

/** Windows of a large line table: its head, its middle and its tail. */
function windows(name: string, text: string): TextSample[] {
  const lines = text.split('\n');
  const starts = [0, Math.floor(lines.length / 2), Math.max(0, lines.length - WINDOW_LINES)];
  return starts.map((start) => ({ name: `${name}[${start}]`, text: lines.slice(start, start + WINDOW_LINES).join('\n') }));
}

async function debianTables(file: string): Promise<TextSample[]> {
  const full = path.join(DEBIAN_KERNEL, file);
  return existsSync(full) ? windows(path.relative(ROOT, full), (await readKernelFile(full)).toString('utf8')) : [];
}

async function decompressed(files: string[]): Promise<ByteSample[]> {
  const read = await Promise.all(files.map(async (file) => ({ name: path.relative(ROOT, file).replace(/\.(xz|zst)$/, ''), bytes: await readKernelFile(file) })));
  return read.filter((s) => s.bytes.length <= MAX_MODULE);
}

let loaded: Promise<Corpus> | undefined;

export function loadCorpus(): Promise<Corpus> {
  loaded ??= (async () => {
    const fixtures = ['examples', 'test/fixtures'];
    const shared = ['../shared/corpus'];
    const debianModules = walk(path.join(DEBIAN_KERNEL, 'modules'), (f) => /\.ko\.(xz|zst)$/.test(f));
    return {
      patches: texts(under([...fixtures, ...shared], (f) => /\.(patch|diff)$/.test(f))),
      modules: texts(under([...fixtures, ...shared], (f) => f.endsWith('.c'))),
      csvs: texts(under([...fixtures, ...shared], (f) => f.endsWith('.csv'))),
      series: texts(under([...fixtures, ...shared], named('series'))),
      symvers: [...texts(under(fixtures, named('Module.symvers'))), ...(await debianTables('Module.symvers.xz'))],
      kallsyms: [...texts(under(fixtures, (f) => /\/(kallsyms|System\.map)$/.test(f))), ...(await debianTables('kallsyms.xz')), ...(await debianTables('System.map.xz'))],
      configs: [...texts(under(fixtures, (f) => /\/(\.config|config)$/.test(f))), ...(await debianTables('config.xz'))],
      kos: [...bytesOf(under(['test/fixtures/kernel'], (f) => /\.(ko|o)$/.test(f))), ...(await decompressed(debianModules)), ...klpObject()],
      compressed: bytesOf([...under(['test/fixtures/kernel'], (f) => /\.(xz|zst|gz)$/.test(f)), ...debianModules]),
    };
  })();
  return loaded;
}
