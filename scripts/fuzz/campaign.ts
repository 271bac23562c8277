// A seeded campaign over the targets: the core target in its bounded worker, the others one
// process per input. Every failure is saved (the input, what happened, the commands that
// replay it) and tallied; `npm run fuzz` (main.ts) and the short run of the test suite
// (test/fuzz/short.test.ts) both run one.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliTarget } from './cliTarget';
import { convertTarget } from './convertTarget';
import { loadCorpus } from './corpus';
import { coreCase, saveCoreCase } from './coreTarget';
import { runCoreRange } from './coreRunner';
import { count, newTally, type Failure, type Outcome, type Tally } from './outcome';
import { sampleAt } from './sampleAt';
import { serverTarget } from './serverTarget';
import type { Target } from './target';

export const TARGETS = ['core', 'cli', 'convert', 'server'] as const;
export type TargetName = (typeof TARGETS)[number];

/** The bounds of one core case (in-process: the worker's time on it, the worker's RSS). */
export const CORE_BOUNDS = { ms: 10_000, rssMb: 1536 };

const PROCESS_TARGETS: Record<Exclude<TargetName, 'core'>, Target<never>> = {
  cli: cliTarget as Target<never>,
  convert: convertTarget as Target<never>,
  server: serverTarget as Target<never>,
};

export interface CampaignOptions {
  seed: number;
  /** The index of the first input of each target (a replay starts at the input it replays). */
  first: number;
  /** Inputs per target. */
  runs: Record<TargetName, number>;
  /** Where failures are saved. */
  outDir: string;
  log: (line: string) => void;
}

/** The command that replays input `index` of `target`. */
export function replayCommand(seed: number, target: TargetName, index: number): string {
  return `npm run fuzz -- --seed ${seed} --target ${target} --first ${index} --runs 1`;
}

async function saveFailure(options: CampaignOptions, target: TargetName, index: number, outcome: Outcome): Promise<Failure> {
  const dir = path.join(options.outDir, `${target}-seed${options.seed}-input${index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const corpus = await loadCorpus();
  const direct =
    target === 'core' ? saveCoreCase(sampleAt(coreCase(corpus), options.seed, index), dir) : PROCESS_TARGETS[target].save(sampleAt(PROCESS_TARGETS[target].arbitrary(corpus), options.seed, index), dir);
  const replay = [replayCommand(options.seed, target, index), ...direct];
  writeFileSync(path.join(dir, 'outcome.txt'), `${outcome.verdict}: ${outcome.detail ?? ''}\n\nreplay:\n${replay.join('\n')}\n`);
  return { target, index, outcome, saved: dir, replay };
}

const PROGRESS_EVERY = { core: 2000, cli: 100, convert: 100, server: 25 };

async function runTarget(options: CampaignOptions, target: TargetName, tally: Tally): Promise<void> {
  const end = options.first + options.runs[target];
  const saving: Array<Promise<void>> = [];
  const onOutcome = (index: number, outcome: Outcome) => {
    count(tally, index, outcome);
    if (outcome.verdict !== 'ok') {
      options.log(`${target} input ${index}: ${outcome.verdict}: ${(outcome.detail ?? '').split('\n')[0]}`);
      saving.push(saveFailure(options, target, index, outcome).then((failure) => void tally.failures.push(failure)));
    }
    if (tally.runs % PROGRESS_EVERY[target] === 0) options.log(`${target}: ${tally.runs}/${options.runs[target]} inputs`);
  };
  if (target === 'core') await runCoreRange({ seed: options.seed, first: options.first, end }, CORE_BOUNDS, onOutcome);
  else {
    const t = PROCESS_TARGETS[target];
    const arbitrary = t.arbitrary(await loadCorpus());
    for (let index = options.first; index < end; index++) onOutcome(index, await t.run(sampleAt(arbitrary, options.seed, index)));
  }
  await Promise.all(saving);
  tally.failures.sort((a, b) => a.index - b.index);
}

/** Runs every target with inputs, one after the other; their tallies, with the wall time each took. */
export async function runCampaign(options: CampaignOptions): Promise<Array<Tally & { wallMs: number }>> {
  const tallies: Array<Tally & { wallMs: number }> = [];
  for (const target of TARGETS) {
    if (options.runs[target] <= 0) continue;
    const start = performance.now();
    const tally = newTally(target);
    await runTarget(options, target, tally);
    tallies.push({ ...tally, wallMs: performance.now() - start });
  }
  return tallies;
}
