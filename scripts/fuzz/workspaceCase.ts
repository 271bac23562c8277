// A workspace as a hostile or careless author may have it: a few livepatches (patch diffs,
// hand-written modules, SUSE's patched_funcs.csv with its module), maybe a series file, all
// mutated, and a kernel: none, a fixture's or Debian's folder, or mutated artifacts of the
// workspace's own (Module.symvers, kallsyms or System.map, .config, .ko/.ko.xz/.ko.zst).
// Through the built command, now and then a hostile entry too: a livepatch that is a FIFO or a
// link to /dev/zero, a link to / or to the workspace's parent (issue 13's items 1 and 5).
// The same case runs in-process (analyze()) and through the built command.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DEBIAN_KERNEL, ROOT, type Corpus } from './corpus';
import { mutatedBytes, mutatedText } from './mutate';
import { CONFIG_TOKENS, CSV_TOKENS, KALLSYMS_TOKENS, MODULE_TOKENS, PATCH_TOKENS, SERIES_TOKENS, SYMVERS_TOKENS } from './tokens';

/** Kernel folders of the repository (and ../shared) by name. */
export const KERNEL_DIRS = {
  small: path.join(ROOT, 'test/fixtures/cli/kernel'),
  build: path.join(ROOT, 'test/fixtures/kernel/build'),
  artifacts: path.join(ROOT, 'test/fixtures/kernel/artifacts'),
  debian: DEBIAN_KERNEL,
} as const;
export type KernelDir = keyof typeof KERNEL_DIRS;

/** Kernel options naming files of the workspace (relative paths). */
export interface KernelFiles {
  symvers?: string;
  kallsyms?: string;
  systemMap?: string;
  config?: string;
  modules?: string;
}

export type KernelChoice = { kind: 'none' } | { kind: 'dir'; dir: KernelDir } | { kind: 'files'; files: KernelFiles };

/** A file that is no regular file. */
export type Hostile = { symlink: string } | { fifo: true };

type Files = Record<string, string | Uint8Array | Hostile>;

/** `arbitrary`'s value one time in `oneIn`, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number) => fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

export interface WorkspaceCase {
  /** By path relative to the workspace. */
  files: Files;
  command: 'check' | 'state';
  format: 'text' | 'json' | 'sarif';
  kernel: KernelChoice;
  /** Relative to the workspace; '.' is the workspace itself. */
  paths: string[];
  series?: string;
}

function livepatchFiles(corpus: Corpus): fc.Arbitrary<Files> {
  const patch = mutatedText(corpus.patches, PATCH_TOKENS).map((text): Files => ({ 'proc-fix.patch': text }));
  const module = mutatedText(corpus.modules, MODULE_TOKENS).map((text): Files => ({ 'lp-cdrom.c': text }));
  const suse = fc
    .tuple(mutatedText(corpus.csvs, CSV_TOKENS), mutatedText(corpus.modules, MODULE_TOKENS))
    .map(([csv, c]): Files => ({ 'bsc1234/patched_funcs.csv': csv, 'bsc1234/livepatch_bsc1234.c': c }));
  const second = mutatedText(corpus.patches, PATCH_TOKENS).map((text): Files => ({ 'sub/second.patch': text }));
  return fc.tuple(fc.option(patch), fc.option(module), rarely(suse, 3), rarely(second, 4)).map((parts) => Object.assign({}, ...parts.filter((p) => p !== null)));
}

function kernelChoice(corpus: Corpus, withDebian: boolean): fc.Arbitrary<{ kernel: KernelChoice; files: Files }> {
  const dirs: KernelDir[] = withDebian ? ['small', 'build', 'artifacts', 'debian'] : ['small', 'build', 'artifacts'];
  const ko = fc.tuple(fc.boolean(), mutatedBytes(corpus.kos), mutatedBytes(corpus.compressed)).map(([plain, bytes, compressed]): Files =>
    plain ? { 'kernel/modules/cdrom.ko': bytes } : { [`kernel/modules/sr_mod.ko.${compressed[0] === 0x28 ? 'zst' : 'xz'}`]: compressed },
  );
  const files = fc
    .record({
      symvers: fc.option(mutatedText(corpus.symvers, SYMVERS_TOKENS)),
      kallsyms: fc.option(mutatedText(corpus.kallsyms, KALLSYMS_TOKENS)),
      systemMap: rarely(mutatedText(corpus.kallsyms, KALLSYMS_TOKENS), 4),
      config: rarely(mutatedText(corpus.configs, CONFIG_TOKENS), 3),
      modules: rarely(ko, 3),
    })
    .map(({ symvers, kallsyms, systemMap, config, modules }) => {
      const out: Files = { ...modules };
      const named: KernelFiles = {};
      const add = (key: Exclude<keyof KernelFiles, 'modules'>, file: string, text: string | null) => {
        if (text === null) return;
        out[file] = text;
        named[key] = file;
      };
      add('symvers', 'kernel/Module.symvers', symvers);
      add('kallsyms', 'kernel/kallsyms', kallsyms);
      add('systemMap', 'kernel/System.map', systemMap);
      add('config', 'kernel/.config', config);
      if (modules) named.modules = 'kernel/modules';
      return { kernel: { kind: 'files', files: named } as KernelChoice, files: out };
    });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kernel: { kind: 'none' } as KernelChoice, files: {} }) },
    { weight: 3, arbitrary: fc.constantFrom(...dirs).map((dir) => ({ kernel: { kind: 'dir', dir } as KernelChoice, files: {} })) },
    { weight: 3, arbitrary: files },
  );
}

const HOSTILE: Files[] = [
  { 'zero.patch': { symlink: '/dev/zero' } },
  { 'fifo.patch': { fifo: true } },
  { 'root-link': { symlink: '/' } },
  { 'sub/up': { symlink: '..' } },
  { 'Module.symvers': { symlink: '/dev/zero' } },
];

/** `withDebian`: Debian's folder among the kernels (slower to load: a share of the runs only); `hostile`: entries that are no regular files, now and then. */
export function workspaceCase(corpus: Corpus, withDebian: boolean, hostile = false): fc.Arbitrary<WorkspaceCase> {
  const livepatches = hostile ? fc.tuple(livepatchFiles(corpus), rarely(fc.constantFrom(...HOSTILE), 40)).map(([files, odd]) => ({ ...files, ...odd })) : livepatchFiles(corpus);
  return fc
    .record({
      livepatches,
      kernel: kernelChoice(corpus, withDebian),
      series: rarely(mutatedText(corpus.series, SERIES_TOKENS), 3),
      command: fc.constantFrom<WorkspaceCase['command']>('check', 'state'),
      format: fc.constantFrom<WorkspaceCase['format']>('text', 'json', 'sarif'),
      byName: fc.boolean(),
    })
    .map(({ livepatches, kernel, series, command, format, byName }) => ({
      files: { ...livepatches, ...kernel.files, ...(series !== null && { series }) },
      command,
      format: command === 'state' && format === 'sarif' ? 'json' : format,
      kernel: kernel.kernel,
      // The workspace folder, or the livepatches one by one.
      paths: byName && Object.keys(livepatches).length > 0 ? Object.keys(livepatches) : ['.'],
      ...(series !== null && byName && { series: 'series' }),
    }));
}

export function writeWorkspace(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(file, content);
    else if ('symlink' in content) symlinkSync(content.symlink, file);
    else spawnSync('mkfifo', [file]);
  }
}

const KERNEL_FLAGS: Record<keyof KernelFiles, string> = { symvers: '--symvers', kallsyms: '--kallsyms', systemMap: '--system-map', config: '--config', modules: '--modules' };

/** The command line of the case, for the workspace at `dir`. */
export function argvOf(c: WorkspaceCase, dir: string): string[] {
  const at = (rel: string) => path.join(dir, rel);
  const kernel =
    c.kernel.kind === 'dir'
      ? ['--kernel', KERNEL_DIRS[c.kernel.dir]]
      : c.kernel.kind === 'files'
        ? Object.entries(c.kernel.files).flatMap(([key, rel]) => [KERNEL_FLAGS[key as keyof KernelFiles], at(rel)])
        : [];
  return [c.command, '--format', c.format, ...kernel, ...(c.series ? ['--series', at(c.series)] : []), ...c.paths.map(at)];
}
