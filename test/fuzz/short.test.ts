// The fuzz campaign's short run (scripts/fuzz/campaign.ts), in every `npm test`: a few hundred
// inputs with a fixed seed through the engine in-process, the built command (check, state,
// convert) and the server over stdio. No exception may escape and no run may pass its bounds;
// a failure names the input saved under results/fuzz and the command that replays it. The
// long campaign is `npm run fuzz -- --runs 100000`.
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { runCampaign } from '../../scripts/fuzz/campaign';
import { ROOT } from '../../scripts/fuzz/corpus';
import { ensureBuilt } from '../../tools/src/lspClient';

const SEED = 13;
const RUNS = { core: 300, cli: 12, convert: 12, server: 6 };
/** A bound, not a goal: the run takes a fraction of it on a quiet machine. */
const BOUND_MS = 300_000;

it(
  `runs ${Object.values(RUNS).reduce((a, b) => a + b)} fuzz inputs (seed ${SEED}) without an exception escaping or a run over its bounds`,
  async () => {
    ensureBuilt();
    const tallies = await runCampaign({ seed: SEED, first: 0, runs: RUNS, outDir: path.join(ROOT, 'results/fuzz'), log: () => undefined });
    expect(tallies.map((t) => [t.target, t.runs])).toEqual(Object.entries(RUNS));
    const failures = tallies.flatMap((t) => t.failures).map((f) => `${f.target} input ${f.index}: ${f.outcome.verdict}: ${f.outcome.detail}\n  saved in ${f.saved}\n  ${f.replay.join('\n  ')}`);
    expect(failures).toEqual([]);
  },
  BOUND_MS,
);
