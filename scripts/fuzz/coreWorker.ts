// The process that runs the core target's cases for coreRunner.ts (forked through vite-node):
// it is told a seed and a range of indexes, and reports each case as it starts and as it ends,
// so that the parent can stop it at a case that passes its bounds and go on after that case.
import { CParser } from '../../server/src/syntax/treeSitter';
import { loadCorpus } from './corpus';
import { coreCase, runCoreCase } from './coreTarget';
import type { Outcome } from './outcome';
import { sampleAt } from './sampleAt';

export interface CoreRange {
  seed: number;
  first: number;
  end: number;
}

export type WorkerMessage = { started: number } | { finished: number; outcome: Outcome };

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));

process.once('message', async ({ seed, first, end }: CoreRange) => {
  const arbitrary = coreCase(await loadCorpus());
  const env = { parser: await CParser.create(), kernels: new Map() };
  for (let index = first; index < end; index++) {
    const c = sampleAt(arbitrary, seed, index);
    await send({ started: index });
    const outcome = await runCoreCase(env, c);
    await send({ finished: index, outcome: { ...outcome, rssMb: process.memoryUsage().rss / 2 ** 20 } });
  }
  process.disconnect();
});
