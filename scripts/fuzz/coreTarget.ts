// The core target: the engine called in-process, the bulk of the campaign. Either one reader
// or parser on one mutated input (patch, module, csv, series, Module.symvers, kallsyms or
// System.map, .config, .ko, .ko.xz/.ko.zst, klp-convert's input), or a whole workspace case
// through analyze() and the command's output formats. Kernels named by folder are read once
// per process; kernels of mutated files, at every case. Each entry point must return, never
// throw: a throw is an exception escaping.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { allChecks } from '../../server/src/checks/index';
import { formatCheckJson, formatCheckSarif, formatCheckText } from '../../server/src/cli/formatCheck';
import { formatStateJson, formatStateText } from '../../server/src/cli/formatState';
import { nodeFileSource } from '../../server/src/common/fileSource';
import type { Problem } from '../../server/src/common/problem';
import { parseConfig } from '../../server/src/kernel/config';
import { loadKernelContext, type KernelOptions } from '../../server/src/kernel/context';
import { withDefaultKernel } from '../../server/src/kernel/defaultKernel';
import { elfRelocations, elfSymbols, parseElf } from '../../server/src/kernel/elf';
import { parseKallsyms } from '../../server/src/kernel/kallsyms';
import { moduleFromBytes, readModuleFile } from '../../server/src/kernel/modinfo';
import { parseSymvers } from '../../server/src/kernel/symvers';
import type { KernelContext } from '../../server/src/kernel/types';
import { vmlinuxFromBytes } from '../../server/src/kernel/vmlinuxElf';
import { convertKlpRelocations } from '../../server/src/klpConvert/convert';
import { livepatchFromModule } from '../../server/src/model/fromModule';
import { parsePatch } from '../../server/src/syntax/diff';
import { findHunkFunctions } from '../../server/src/syntax/hunkFunctions';
import { parsePatchedFuncsCsv } from '../../server/src/syntax/patchedFuncsCsv';
import { parseSeries } from '../../server/src/syntax/series';
import type { CParser } from '../../server/src/syntax/treeSitter';
import { DEBIAN_KERNEL, type Corpus } from './corpus';
import { mutatedBytes, mutatedText } from './mutate';
import { isSafetyNet, type Outcome } from './outcome';
import { shellWord } from './target';
import { CONFIG_TOKENS, CSV_TOKENS, KALLSYMS_TOKENS, MODULE_TOKENS, PATCH_TOKENS, SERIES_TOKENS, SYMVERS_TOKENS } from './tokens';
import { argvOf, KERNEL_DIRS, workspaceCase, writeWorkspace, type KernelChoice, type KernelDir, type WorkspaceCase } from './workspaceCase';

export type CoreCase =
  | { kind: 'patch' | 'module' | 'csv' | 'series' | 'symvers' | 'kallsyms' | 'system-map' | 'config'; text: string }
  | { kind: 'elf' | 'convert' | 'compressed'; bytes: Uint8Array }
  | { kind: 'workspace'; workspace: WorkspaceCase };

/** The file name each kind is saved under (for a replay with the command where one exists). */
export const FILE_OF_KIND: Record<Exclude<CoreCase['kind'], 'workspace'>, string> = {
  patch: 'input.patch',
  module: 'lp_input.c',
  csv: 'patched_funcs.csv',
  series: 'series',
  symvers: 'Module.symvers',
  kallsyms: 'kallsyms',
  'system-map': 'System.map',
  config: '.config',
  elf: 'input.ko',
  convert: 'input.ko',
  compressed: 'input.ko.xz',
};

export function coreCase(corpus: Corpus): fc.Arbitrary<CoreCase> {
  const text = <K extends string>(kind: K, arbitrary: fc.Arbitrary<string>) => arbitrary.map((t) => ({ kind, text: t }));
  const bytes = <K extends string>(kind: K, arbitrary: fc.Arbitrary<Uint8Array>) => arbitrary.map((b) => ({ kind, bytes: b }));
  return fc.oneof(
    { weight: 6, arbitrary: text('patch' as const, mutatedText(corpus.patches, PATCH_TOKENS)) },
    { weight: 4, arbitrary: text('module' as const, mutatedText(corpus.modules, MODULE_TOKENS)) },
    { weight: 2, arbitrary: text('csv' as const, mutatedText(corpus.csvs, CSV_TOKENS)) },
    { weight: 2, arbitrary: text('series' as const, mutatedText(corpus.series, SERIES_TOKENS)) },
    { weight: 2, arbitrary: text('symvers' as const, mutatedText(corpus.symvers, SYMVERS_TOKENS)) },
    { weight: 2, arbitrary: text('kallsyms' as const, mutatedText(corpus.kallsyms, KALLSYMS_TOKENS)) },
    { weight: 1, arbitrary: text('system-map' as const, mutatedText(corpus.kallsyms, KALLSYMS_TOKENS)) },
    { weight: 1, arbitrary: text('config' as const, mutatedText(corpus.configs, CONFIG_TOKENS)) },
    { weight: 4, arbitrary: bytes('elf' as const, mutatedBytes(corpus.kos)) },
    { weight: 3, arbitrary: bytes('convert' as const, mutatedBytes(corpus.kos)) },
    { weight: 2, arbitrary: bytes('compressed' as const, mutatedBytes(corpus.compressed)) },
    { weight: 6, arbitrary: workspaceCase(corpus, existsSync(DEBIAN_KERNEL)).map((workspace) => ({ kind: 'workspace' as const, workspace })) },
  );
}

const KLP_LENS_BIN = 'node bin/klp-lens.js';
const EXAMPLE = 'examples/proc-fix.patch';

/** Writes the case into `dir`; the command that runs the same input through the built command, where there is one. */
export function saveCoreCase(c: CoreCase, dir: string): string[] {
  if (c.kind === 'workspace') {
    const workspace = path.join(dir, 'workspace');
    writeWorkspace(workspace, c.workspace.files);
    return [`${KLP_LENS_BIN} ${argvOf(c.workspace, workspace).map(shellWord).join(' ')}`];
  }
  const file = path.join(dir, FILE_OF_KIND[c.kind]);
  writeFileSync(file, 'text' in c ? c.text : c.bytes);
  const args: Record<CoreCase['kind'], string[]> = {
    patch: ['check', file],
    module: ['check', file],
    csv: ['check', dir],
    series: ['check', '--series', file, dir],
    symvers: ['check', '--symvers', file, EXAMPLE],
    kallsyms: ['check', '--kallsyms', file, EXAMPLE],
    'system-map': ['check', '--system-map', file, EXAMPLE],
    config: ['check', '--config', file, EXAMPLE],
    elf: ['check', '--modules', dir, EXAMPLE],
    compressed: ['check', '--modules', dir, EXAMPLE],
    convert: ['convert', '--output', path.join(dir, 'converted.ko'), file],
    workspace: [],
  };
  return [`${KLP_LENS_BIN} ${args[c.kind].map(shellWord).join(' ')}`];
}

/** What the cases share in one process: the C parser (sessions are made per case), the kernels read from folders. */
export interface CoreEnv {
  parser: CParser;
  kernels: Map<string, Promise<KernelContext>>;
}

function caughtIn(problems: readonly Problem[]): string[] {
  return problems.filter((p) => p.code === 'internal-error' || isSafetyNet(p.message)).map((p) => p.message);
}

function kernelOptions(choice: KernelChoice, dir: string): KernelOptions {
  if (choice.kind === 'dir') return { kernel: KERNEL_DIRS[choice.dir] };
  if (choice.kind === 'none') return withDefaultKernel({});
  return Object.fromEntries(Object.entries(choice.files).map(([key, rel]) => [key, path.join(dir, rel)]));
}

function kernelOf(env: CoreEnv, choice: KernelChoice, dir: string): Promise<KernelContext> {
  if (choice.kind === 'files') return loadKernelContext(kernelOptions(choice, dir));
  const key: KernelDir | 'none' = choice.kind === 'dir' ? choice.dir : 'none';
  let kernel = env.kernels.get(key);
  if (!kernel) env.kernels.set(key, (kernel = loadKernelContext(kernelOptions(choice, dir))));
  return kernel;
}

async function runWorkspace(env: CoreEnv, c: WorkspaceCase): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-ws-'));
  try {
    writeWorkspace(dir, c.files);
    const kernel = await kernelOf(env, c.kernel, dir);
    const at = (rel: string) => path.join(dir, rel);
    const analysis = analyze({ paths: c.paths.map(at), seriesFile: c.series && at(c.series), kernel, fs: nodeFileSource(), session: new AnalysisSession(env.parser) });
    const problems = [...kernel.problems, ...analysis.problems];
    if (c.command === 'state') c.format === 'json' ? formatStateJson(analysis) : formatStateText(analysis);
    else if (c.format === 'sarif') formatCheckSarif(problems, allChecks, '0.0.0');
    else c.format === 'json' ? formatCheckJson(problems) : formatCheckText(problems);
    return caughtIn(problems);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runElf(bytes: Uint8Array): string[] {
  const module = moduleFromBytes(bytes, 'input.ko');
  const vmlinux = vmlinuxFromBytes(bytes, 'vmlinux');
  const elf = parseElf(bytes);
  if (elf.ok) {
    elfSymbols(elf.value);
    for (const section of elf.value.sections) elfRelocations(elf.value, section);
  }
  return caughtIn([...module.problems, ...vmlinux.problems]);
}

/** klp-convert's promise: a reason, or a module that still reads as ELF. */
function runConvert(bytes: Uint8Array): { caught: string[]; broken?: string } {
  const result = convertKlpRelocations(bytes);
  if (!result.ok) return { caught: isSafetyNet(result.error) ? [result.error] : [] };
  const reread = parseElf(result.conversion.bytes);
  return { caught: [], ...(!reread.ok && { broken: `the converted module does not read as ELF: ${reread.error}` }) };
}

async function runCompressed(bytes: Uint8Array): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-ko-'));
  try {
    const file = path.join(dir, FILE_OF_KIND.compressed);
    writeFileSync(file, bytes);
    return caughtIn((await readModuleFile(file)).problems);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function caughtBy(env: CoreEnv, c: CoreCase): Promise<{ caught: string[]; broken?: string }> {
  switch (c.kind) {
    case 'patch':
      findHunkFunctions(parsePatch(c.text, FILE_OF_KIND.patch));
      return { caught: [] };
    case 'module':
      return { caught: caughtIn(livepatchFromModule(env.parser, c.text, FILE_OF_KIND.module, { name: 'lp_input' }).problems) };
    case 'csv':
      return { caught: caughtIn(parsePatchedFuncsCsv(c.text, FILE_OF_KIND.csv).problems) };
    case 'series':
      return { caught: caughtIn(parseSeries(c.text, FILE_OF_KIND.series).problems) };
    case 'symvers':
      return { caught: caughtIn(parseSymvers(c.text, FILE_OF_KIND.symvers).problems) };
    case 'kallsyms':
    case 'system-map':
      return { caught: caughtIn(parseKallsyms(c.text, FILE_OF_KIND[c.kind], c.kind).problems) };
    case 'config':
      return { caught: caughtIn(parseConfig(c.text, FILE_OF_KIND.config).problems) };
    case 'elf':
      return { caught: runElf(c.bytes) };
    case 'convert':
      return runConvert(c.bytes);
    case 'compressed':
      return { caught: await runCompressed(c.bytes) };
    case 'workspace':
      return { caught: await runWorkspace(env, c.workspace) };
  }
}

/** Runs one case in this process: its time, and whether an exception escaped. */
export async function runCoreCase(env: CoreEnv, c: CoreCase): Promise<Outcome> {
  const start = performance.now();
  try {
    const { caught, broken } = await caughtBy(env, c);
    const ms = performance.now() - start;
    return broken ? { verdict: 'broken-promise', detail: broken, caught, ms } : { verdict: 'ok', caught, ms };
  } catch (err) {
    return { verdict: 'escaped', detail: err instanceof Error ? (err.stack ?? err.message) : String(err), ms: performance.now() - start };
  }
}
