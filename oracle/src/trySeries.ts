// `klp-lens try`: the oracle as a user feature. The series' hand-written modules are built with
// `klp-lens build`, the kernel boots under qemu with the modules the series names already loaded
// (as `klp-lens state` assumes every module is), the steps run for real, and each step's real
// state is printed beside the predicted one. It installs nothing: a missing program is named
// with the Debian package that has it.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { simulationOptions } from '../../server/src/analysis/simulationCache';
import { AnalysisSession } from '../../server/src/analysis/session';
import { nodeFileSource } from '../../server/src/common/fileSource';
import { buildModules } from '../../server/src/compiler/moduleBuild';
import { onPath } from '../../server/src/compiler/processes';
import { readKernelFile } from '../../server/src/kernel/compressed';
import { loadKernelContext } from '../../server/src/kernel/context';
import { readModuleFile } from '../../server/src/kernel/modinfo';
import type { KernelContext } from '../../server/src/kernel/types';
import type { Livepatch } from '../../server/src/model/livepatch';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimStep, StepResult } from '../../server/src/simulator/types';
import { fail } from '../../tools/src/toolError';
import { boot } from './boot';
import { compileModtool } from './build';
import { bootedKallsyms } from './bootedKallsyms';
import { compareStep } from './compare';
import { makeInitramfs } from './initramfs';
import { kernelResults } from './kernelState';
import { template } from './modules';
import type { OracleStep, Scenario } from './scenario';
import { parseSerial } from './serial';
import { kernelImage } from './setup';
import { stepFile } from './stepFile';
import { writeSysfsSnapshot } from './sysfsSnapshot';

export interface TryOptions {
  paths: string[];
  seriesFile?: string;
  /** A Debian kernel release whose linux-image-<release>-unsigned apt can download (6.1.0-57-amd64)... */
  release?: string;
  /** ...or a kernel image and a folder of its modules. */
  vmlinuz?: string;
  modulesDir?: string;
  /** The kernel's kbuild folder for the hand-written modules (default /lib/modules/<release>/build). */
  buildDir?: string;
  /** Livepatch modules built elsewhere (kpatch-build, klp-build): they stand for the livepatch of their name. */
  kos: string[];
  cacheDir: string;
  log: (line: string) => void;
}

export interface TriedStep {
  action: SimStep['action'];
  target: string;
  predicted: StepResult;
  kernel: StepResult;
  /** The kernel log of the step (the harness's "% command" lines included). */
  log: string[];
  /** Where the two differ; empty when they agree. */
  differences: string[];
}

export interface TryReport {
  release: string;
  /** Livepatches and steps the run left out, and why. */
  leftOut: string[];
  /** Modules the VM could not load before the first step. */
  preloadFailures: string[];
  steps: TriedStep[];
  /** The VM's sysfs and /proc/modules after the last step, as files under a folder (`klp-lens state --running-root` reads it). */
  machine: string;
}

/** What the host needs, and the Debian package of each. */
const PROGRAMS: ReadonlyArray<{ program: string; apt: string }> = [
  { program: 'qemu-system-x86_64', apt: 'qemu-system-x86' },
  { program: 'cpio', apt: 'cpio' },
  { program: 'gcc', apt: 'gcc' },
  { program: 'make', apt: 'make' },
];

export async function trySeries(options: TryOptions): Promise<TryReport> {
  missingPrograms();
  const image = await vmKernel(options);
  const buildDir = options.buildDir ?? (options.release ? `/lib/modules/${options.release}/build` : undefined);
  if (!buildDir || !existsSync(path.join(buildDir, 'Makefile'))) {
    fail(buildDir ? `no kernel build folder at ${buildDir}: apt-get install linux-headers-${options.release ?? '<release>'}, or give --kernel` : 'give the kernel build folder with --kernel');
  }
  const cacheDir = path.resolve(options.cacheDir);
  const work = path.join(cacheDir, 'try', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const modtool = await compileModtoolInto(path.join(cacheDir, 'try', 'modtool'));
  const kallsyms = await bootedKallsyms(image.vmlinuz, modtool, image.kallsyms, options.log);
  options.log('reading the kernel');
  const kernel = await loadKernelContext({ kernel: buildDir, kallsyms, modules: image.modulesDir });

  const analysis = analyze({ paths: options.paths, seriesFile: options.seriesFile, kernel, fs: nodeFileSource(), session: await AnalysisSession.create() });
  const leftOut: string[] = [];
  const modules = await livepatchModules(analysis.loads.map((l) => l.livepatch), buildDir, options, work, leftOut);

  // The steps the VM can run: none that needs a livepatch module there is none of.
  const missing = new Set(analysis.loads.map((l) => l.patch.name).filter((name) => !modules.has(name)));
  const steps = analysis.steps.filter((s) => (s.action === 'load' ? !missing.has(s.patch.name) : !(missing.has(s.target) && (s.action === 'disable' || s.action === 'unload'))));
  if (steps.length < analysis.steps.length) leftOut.push(`${analysis.steps.length - steps.length} step(s) of those livepatches are left out of the run and of the prediction`);
  if (steps.length === 0) fail(`nothing to run: ${leftOut.join('; ') || 'the series has no step'}`);
  const predicted = simulate(steps, simulationOptions(kernel, analysis.verdicts));

  const preload = targetModules(kernel, analysis.livepatches, steps);
  for (const name of preload) modules.set(name, await plainModule(kernel, name, image.modulesDir, work));
  const scenario: Scenario = {
    name: 'try',
    kind: 'try',
    reproduce: 'klp-lens try',
    items: steps.map((step) => ({ step: toOracleStep(step) })),
    targets: [],
    preload,
    observe: [],
  };
  const initrd = await makeInitramfs(work, { modules, modtool }, stepFile([scenario], []));
  options.log(`booting ${path.basename(image.vmlinuz)} under qemu: ${steps.length} steps`);
  const record = parseSerial(await boot({ vmlinuz: image.vmlinuz, initrd, workDir: work, timeoutMs: 120_000 + steps.length * 4_000 }));
  const ran = record.scenarios[0];
  if (!ran || ran.steps.length !== steps.length) fail(`the VM ran ${ran?.steps.length ?? 0} of ${steps.length} steps (serial log: ${path.join(work, 'serial.log')})`);
  const kernelSteps = kernelResults(scenario.items.map((i) => ('step' in i ? i.step : fail('a harness command in a try'))), ran.steps, []);
  const report: TryReport = {
    release: record.release,
    leftOut,
    preloadFailures: ran.preloadFailures,
    steps: steps.map((step, i) => ({
      action: step.action,
      target: step.action === 'load' ? step.patch.name : step.target,
      predicted: predicted[i],
      kernel: kernelSteps[i].result,
      log: kernelSteps[i].log.map((l) => l.text),
      differences: compareStep(kernelSteps[i], predicted[i]),
    })),
    machine: writeSysfsSnapshot(ran.steps[ran.steps.length - 1], path.join(work, 'machine')),
  };
  rmSync(path.join(work, 'root'), { recursive: true, force: true });
  return report;
}

function missingPrograms(): void {
  const missing = PROGRAMS.filter((p) => !onPath(p.program));
  if (!existsSync('/bin/busybox')) missing.push({ program: 'busybox', apt: 'busybox-static' });
  if (missing.length > 0) {
    fail(`klp-lens try needs ${missing.map((m) => m.program).join(', ')}: apt-get install --no-install-recommends ${missing.map((m) => m.apt).join(' ')}`);
  }
}

/** The kernel the VM boots: a Debian release (downloaded once, nothing installed), or the files given. */
async function vmKernel(options: TryOptions): Promise<{ vmlinuz: string; modulesDir: string; kallsyms: string }> {
  if (options.release) return kernelImage(options.release, options.cacheDir, options.log);
  if (!options.vmlinuz || !options.modulesDir) fail('give --vm-kernel RELEASE (a Debian kernel apt can download), or --vmlinuz FILE and --vm-modules DIR');
  if (!existsSync(options.vmlinuz)) fail(`no kernel image at ${options.vmlinuz}`);
  const stat = statSync(options.vmlinuz);
  const key = createHash('sha256').update(path.resolve(options.vmlinuz)).update(`${stat.size}:${stat.mtimeMs}`).digest('hex').slice(0, 16);
  return { vmlinuz: options.vmlinuz, modulesDir: options.modulesDir, kallsyms: path.join(options.cacheDir, 'try', `kallsyms-${key}`) };
}

/** The initramfs helper, compiled once into `dir`. */
export async function compileModtoolInto(dir: string): Promise<string> {
  const modtool = path.join(dir, 'modtool');
  const source = template('modtool.c');
  const stamp = path.join(dir, `.built-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  if (existsSync(stamp)) return modtool;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'modtool.c'), source);
  await compileModtool(dir);
  writeFileSync(stamp, '');
  return modtool;
}

/**
 * Each livepatch's module by name: hand-written ones built with `klp-lens build`, the others
 * from --ko when one has their name; the rest are named in `leftOut`.
 */
async function livepatchModules(livepatches: Livepatch[], buildDir: string, options: TryOptions, work: string, leftOut: string[]): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const ko of options.kos) {
    const file = await readModuleFile(ko);
    if (file.problems.length > 0) leftOut.push(`${ko}: ${file.problems[0].message}`);
    else modules.set(file.name, ko);
  }
  const sources = livepatches.filter((lp) => lp.kind === 'module' && !modules.has(lp.name));
  if (sources.length > 0) {
    options.log(`klp-lens build: ${sources.map((lp) => path.basename(lp.file)).join(', ')} against ${buildDir}`);
    const built = await buildModules({ buildDir, sources: sources.map((lp) => lp.file), cacheDir: path.dirname(path.dirname(work)), outputDir: path.join(work, 'built') });
    sources.forEach((lp, i) => {
      const ko = built.modules[i]?.ko;
      if (ko) modules.set(lp.name, ko);
      else {
        const errors = built.problems.filter((p) => p.severity === 'error' && p.file === path.resolve(lp.file)).map((p) => `${p.range.start.line + 1}: ${p.message}`);
        leftOut.push(`${lp.file}: klp-lens build made no module${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`);
      }
    });
  }
  for (const lp of livepatches) {
    if (!modules.has(lp.name) && lp.kind !== 'module') {
      leftOut.push(`${lp.file}: klp-lens cannot build a ${lp.kind === 'diff' ? 'patch diff' : 'patched_funcs.csv'}; give the module kpatch-build or klp-build made with --ko FILE`);
    }
  }
  return modules;
}

/**
 * The kernel's modules the series names (patched objects, load-module and unload-module targets),
 * with their dependencies first: loaded before the first step, as the prediction assumes.
 */
function targetModules(kernel: KernelContext, livepatches: Livepatch[], steps: SimStep[]): string[] {
  const named = new Set<string>();
  for (const lp of livepatches) for (const o of lp.objects) if (o.object !== 'vmlinux') named.add(o.object);
  for (const s of steps) if (s.action === 'load-module' || s.action === 'unload-module') named.add(s.target);
  const order: string[] = [];
  const visit = (name: string, depth: number) => {
    const info = kernel.modules.get(name);
    if (!info?.path || info.builtin || order.includes(name) || depth > 64) return;
    for (const dep of info.depends ?? []) visit(dep, depth + 1);
    order.push(name);
  };
  for (const name of named) visit(name, 0);
  return order;
}

/** The module's .ko, decompressed into the run's folder (the kernel is given plain ELF). */
async function plainModule(kernel: KernelContext, name: string, modulesDir: string, work: string): Promise<string> {
  const info = kernel.modules.get(name)!;
  const source = path.isAbsolute(info.path!) ? info.path! : path.join(modulesDir, info.path!);
  const target = path.join(work, 'kernel-modules', `${name}.ko`);
  mkdirSync(path.dirname(target), { recursive: true });
  if (/\.ko$/.test(source)) copyFileSync(source, target);
  else writeFileSync(target, await readKernelFile(source));
  return target;
}

function toOracleStep(step: SimStep): OracleStep {
  return step.action === 'load' ? { action: 'load', target: step.patch.name, args: [], patch: step.patch } : { action: step.action, target: step.target, args: [] };
}
