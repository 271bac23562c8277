// One oracle run: set up, build, boot once for all scenarios, then compare every step of
// every scenario with simulate() on the same inputs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { simulatorRules, symbolCounter } from '../../server/src/analysis/simulationCache';
import { loadKernelContext } from '../../server/src/kernel/context';
import { simulate } from '../../server/src/simulator/simulate';
import type { SimulationOptions } from '../../server/src/simulator/types';
import { CParser } from '../../server/src/syntax/treeSitter';
import { candidateVersion } from '../../tools/src/apt';
import { linuxSourceTree } from '../../tools/src/debianData';
import { fail } from '../../tools/src/toolError';
import { boot } from './boot';
import { bootedKallsyms } from './bootedKallsyms';
import { buildModules, type Build } from './build';
import { compareScenario } from './compare';
import { tracedDefinitions } from './ftraceAlign';
import { exportedScenario, readLpdep } from './exported';
import { generatedScenario } from './generator';
import { makeInitramfs } from './initramfs';
import { isTaintLine, kernelResults, observedPatch } from './kernelState';
import { klpSymbolModules } from './klpSymbol';
import { haveSelftests, LPDEP, moduleSources, SHARED_SELFTESTS, selftestsOfTree, template, type SelftestTree } from './modules';
import { CACHE } from './paths';
import { passed, type OracleReport, type ScenarioOutcome } from './report';
import { stepsOf, toSimStep, type Scenario } from './scenario';
import { selftestScenarios } from './selftests';
import { parseSerial, type LogLine, type ScenarioRecord, type StepRecord } from './serial';
import { setUp, type KernelSetup } from './setup';
import { observationKey, stepFile } from './stepFile';
import { symposScenarios } from './sympos';

export interface OracleOptions {
  seed: number;
  count: number;
  /** Run only the scenarios with these names (all when empty). */
  only: string[];
  /** Leave out the fixed scenarios (selftests, sympos, exported): generated ones only. */
  generatedOnly: boolean;
  /** The Debian kernel line booted (6.12: linux-image-6.12-amd64's); Debian 12's default kernel (6.1) when absent. */
  kernel?: string;
  log: (line: string) => void;
}

export async function runOracle(options: OracleOptions): Promise<OracleReport> {
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      return await work();
    } finally {
      timings[phase] = Date.now() - start;
    }
  };
  const kernel = await timed('setup', () => setUp(options.log, options.kernel));
  const tree = options.generatedOnly ? undefined : await timed('selftests', () => selftestTree(options.kernel, options.log));
  const selftests = tree && haveSelftests(tree) ? tree : undefined;
  if (!options.generatedOnly && !selftests) options.log(`the selftests are skipped: ${tree?.modules ?? 'their source'} is absent`);
  const build = await timed('build', () => buildModules(kernel, moduleSources(selftests), template('modtool.c'), options.log));
  const parser = await CParser.create();
  const symvers = writeSymvers(kernel, build);

  const scenarios: Scenario[] = [];
  const problemsOf = new Map<string, string[]>();
  // Debian 12's own selftests replay whole (a test left out fails the run); another line's tests that load what the oracle does not build are left out, and said.
  const dropped = options.kernel === undefined ? undefined : (name: string, why: string) => options.log(`${name} is not replayed: ${why}`);
  if (selftests) scenarios.push(...selftestScenarios(parser, selftests, dropped));
  for (let i = 0; i < options.count; i++) scenarios.push(generatedScenario(options.seed + i));
  if (!options.generatedOnly) {
    scenarios.push(...symposScenarios());
    const kallsyms = await timed('kallsyms', () => bootedKallsyms(kernel.vmlinuz, build.modtool, kernel.kallsyms, options.log));
    const beforeBoot = await loadKernelContext({ symvers, kallsyms, modules: build.dir });
    const lpdepFile = path.join(build.dir, `${LPDEP}.c`);
    const lpdep = readLpdep(lpdepFile, readFileSync(lpdepFile, 'utf8'), beforeBoot, parser);
    const scenario = exportedScenario(lpdep.patch);
    scenarios.push(scenario);
    if (lpdep.checkProblem) problemsOf.set(scenario.name, [lpdep.checkProblem]);
    const klp = await timed('klp-symbol', () => klpSymbolModules(kernel, build.modules, { symvers, kallsyms, modulesDir: build.dir }, beforeBoot, parser, options.log));
    scenarios.push(klp.scenario);
    problemsOf.set(klp.scenario.name, klp.problems);
    for (const [name, ko] of klp.modules) build.modules.set(name, ko);
  }
  const selected = options.only.length > 0 ? scenarios.filter((s) => options.only.includes(s.name)) : scenarios;
  if (selected.length === 0) fail(`no scenario is named ${options.only.join(', ')}`);

  // One folder per run (runs may overlap).
  const workDir = path.join(CACHE, 'run', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const steps = stepFile(selected, vmlinuxNames(selected));
  writeFileSync(path.join(workDir, 'steps'), steps);
  const initrd = await timed('initramfs', () => makeInitramfs(workDir, build, steps));
  const stepCount = selected.reduce((n, s) => n + s.items.length, 0);
  let done = 0;
  const serial = await timed('boot', () =>
    boot({
      vmlinuz: kernel.vmlinuz,
      initrd,
      workDir,
      // A boot takes under 10 s and a step about half a second; a held transition waits 30 s.
      timeoutMs: 120_000 + stepCount * 4_000,
      onLine: (line) => {
        if (line.startsWith('@@STEP') && ++done % 100 === 0) options.log(`${done} steps run`);
      },
    }),
  );
  const record = parseSerial(serial);

  // The booted kernel's release decides the rules where kernels differ (kernel/capabilities.ts).
  const context = await loadKernelContext({ symvers, kallsyms: writeKallsyms(workDir, record.kallsyms), modules: build.dir, version: record.release });
  const traced = new Map([...record.ftrace].map(([name, f]) => [name, tracedDefinitions(f.definitions, f.records)]));
  const inputs: SimulationOptions = {
    countSymbol: symbolCounter(context),
    rules: simulatorRules(context.capabilities),
    // Only vmlinux is known; the oracle's own modules are built with ftrace.
    hasFtraceLocation: (object, name, position) => (object === 'vmlinux' ? traced.get(name)?.[position - 1] : undefined),
  };
  const outcomes = selected.map((scenario) => {
    const found = record.scenarios.find((r) => r.name === scenario.name);
    return judge(scenario, found, inputs, problemsOf.get(scenario.name) ?? []);
  });
  // The serial log stays for a look when something disagreed.
  if (outcomes.every(passed)) rmSync(workDir, { recursive: true, force: true });
  else options.log(`serial log: ${path.join(workDir, 'serial.log')}`);
  return { release: record.release, outcomes, timings, skippedSelftests: !selftests && !options.generatedOnly };
}

/**
 * The selftests of the kernel booted: Debian 12's 6.1 from ../shared; another line's from its
 * Debian source package (linux-source-<line>, the archive's current version), unpacked once.
 */
async function selftestTree(line: string | undefined, log: (line: string) => void): Promise<SelftestTree> {
  if (line === undefined) return SHARED_SELFTESTS;
  const version = await candidateVersion(`linux-source-${line}`);
  return selftestsOfTree(await linuxSourceTree(line, version, path.join(CACHE, 'source'), log));
}

function judge(scenario: Scenario, record: ScenarioRecord | undefined, inputs: SimulationOptions, problems: string[]): ScenarioOutcome {
  const steps = stepsOf(scenario);
  // Nothing but vmlinux is loaded when a scenario starts (the previous one unloaded everything).
  const modules = steps.flatMap((s) => s.patch?.objects.map((o) => o.name) ?? []).filter((o) => o !== 'vmlinux');
  const initiallyUnloaded = [...new Set([...scenario.targets, ...modules])];
  if (!record || record.steps.length !== steps.length) {
    const why = `the boot reported ${record?.steps.length ?? 0} of its ${steps.length} steps`;
    return { scenario, verdicts: [], kernel: [], simulator: [], problems: [...problems, why], leftover: record?.leftover ?? [] };
  }
  const kernel = kernelResults(steps, record.steps, scenario.observe);
  const { verdicts, simulator } = compareScenario(steps, kernel, (asked) => simulate(asked.map(toSimStep), { ...inputs, initiallyUnloaded }));
  const outputProblem = scenario.expectedOutput && wrongOutput(scenario, scenario.expectedOutput, record.steps);
  if (outputProblem) problems = [...problems, outputProblem];
  if (scenario.expectedLog) {
    const logProblem = compareSelftestLog(scenario.expectedLog, [...record.steps.flatMap((s) => s.log), ...record.tail]);
    if (logProblem) problems = [...problems, logProblem];
  }
  return { scenario, verdicts, kernel, simulator, problems, leftover: record.leftover };
}

/** Each observation showing `patch`'s code: it must read `text`. */
function wrongOutput(scenario: Scenario, expected: { patch: string; text: string }, records: StepRecord[]): string | null {
  const outputs = scenario.observe.flatMap((o) => records.map((r) => ({ path: o.path, text: r.observed.get(observationKey(o)) ?? '' })));
  const ran = outputs.filter((o) => observedPatch(o.text) === expected.patch);
  if (ran.length === 0) return `${expected.patch}'s code never ran (${scenario.observe.map((o) => o.path).join(', ')})`;
  const wrong = ran.find((o) => o.text !== expected.text);
  return wrong ? `${wrong.path} read ${JSON.stringify(wrong.text)}, not ${JSON.stringify(expected.text)}` : null;
}

/** The selftests' check_result(): the lines naming livepatch: or test_klp, taint notices left out. */
function compareSelftestLog(expected: string[], log: LogLine[]): string | null {
  const got = log.filter((l) => (l.text.includes('livepatch:') || l.text.includes('test_klp')) && !isTaintLine(l)).map((l) => l.text);
  if (JSON.stringify(got) === JSON.stringify(expected)) return null;
  const at = expected.findIndex((line, i) => got[i] !== line);
  const index = at < 0 ? expected.length : at;
  return `the kernel log differs from the selftest's expectation at line ${index + 1}: expected ${JSON.stringify(expected[index] ?? '(end)')}, got ${JSON.stringify(got[index] ?? '(end)')}\n  expected:\n    ${expected.join('\n    ')}\n  got:\n    ${got.join('\n    ')}`;
}

/** The headers' Module.symvers and the exports of the oracle's own modules. */
function writeSymvers(kernel: KernelSetup, build: Build): string {
  const file = path.join(build.dir, 'Module.symvers.all');
  writeFileSync(file, readFileSync(path.join(kernel.buildDir, 'Module.symvers'), 'utf8') + readFileSync(path.join(build.dir, 'Module.symvers'), 'utf8'));
  return file;
}

function writeKallsyms(workDir: string, lines: string[]): string {
  const file = path.join(workDir, 'kallsyms');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function vmlinuxNames(scenarios: Scenario[]): string[] {
  const names = new Set<string>();
  for (const s of scenarios) {
    for (const step of stepsOf(s)) {
      for (const o of step.patch?.objects ?? []) if (o.name === 'vmlinux') for (const f of o.funcs) names.add(f.name);
      // The klp symbols klp_resolve_symbols() looks up in vmlinux.
      for (const section of step.patch?.klpRelocations ?? []) for (const sym of section.symbols) if (sym.object === 'vmlinux') names.add(sym.name);
    }
  }
  return [...names].sort();
}
