// `npm run fuzz -- [--seed N] [--runs M] [--target core,cli,convert,server] [--first I] [--out DIR]`:
// a seeded fuzz campaign (campaign.ts) over the engine in-process (core) and the built command
// and server in processes. With several targets, the runs are shared out (most to core, the
// fastest); with one, it gets them all. Prints the seed first, each failure as it comes, then
// the tallies and, for each failure, where its input is saved and the commands that replay it.
// Exit 1 when an input failed, 2 for bad usage.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { replayCommand, runCampaign, TARGETS, type TargetName } from './campaign';
import { ROOT } from './corpus';
import { failed, type Failure, type Tally } from './outcome';

/** Each target's share of the runs when several run. */
const SHARES: Record<TargetName, number> = { core: 0.97, cli: 0.012, convert: 0.01, server: 0.008 };

const USAGE = 'usage: npm run fuzz -- [--seed N] [--runs M] [--target core,cli,convert,server] [--first I] [--out DIR]';

function options() {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, runs: { type: 'string', default: '1000' }, target: { type: 'string', default: TARGETS.join(',') }, first: { type: 'string', default: '0' }, out: { type: 'string', default: path.join(ROOT, 'results/fuzz') } },
  });
  const targets = values.target.split(',') as TargetName[];
  const numbers = [values.seed ?? '0', values.runs, values.first];
  if (targets.some((t) => !TARGETS.includes(t)) || numbers.some((n) => !/^\d+$/.test(n))) throw new Error(`bad arguments\n${USAGE}`);
  const total = Number(values.runs);
  const shares = targets.reduce((sum, t) => sum + SHARES[t], 0);
  const runs = Object.fromEntries(TARGETS.map((t) => [t, targets.includes(t) ? (targets.length === 1 ? total : Math.max(1, Math.round((total * SHARES[t]) / shares))) : 0])) as Record<TargetName, number>;
  return { seed: values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed), first: Number(values.first), runs, outDir: path.resolve(values.out) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What tells one failure from another: its error line (`TypeError: ...`) if it has one, else its first line. */
function signature(f: Failure): string {
  const detail = f.outcome.detail ?? '';
  return `${f.target} ${f.outcome.verdict}: ${/\b\w*Error: .*$/m.exec(detail)?.[0] ?? detail.split('\n')[0]}`;
}

function report(tallies: Array<Tally & { wallMs: number }>, seed: number): void {
  console.log(`\nseed ${seed}`);
  console.log('target    inputs  escaped  over-bound  broken  caught  max ms  max RSS MB  wall');
  for (const t of tallies) {
    const caught = [...t.caught.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${t.target.padEnd(8)} ${String(t.runs).padStart(7)} ${String(t.escaped).padStart(8)} ${String(t.overBound).padStart(11)} ${String(t.brokenPromises).padStart(7)} ${String(caught).padStart(7)} ${t.maxMs.toFixed(0).padStart(7)} ${t.maxRssMb.toFixed(0).padStart(11)}  ${seconds(t.wallMs)}`,
    );
  }
  for (const t of tallies) console.log(`slowest ${t.target} input: ${t.slowest} (${t.maxMs.toFixed(0)} ms): ${replayCommand(seed, t.target as TargetName, t.slowest)}`);
  for (const t of tallies) for (const [message, n] of t.caught) console.log(`caught by a safety net (${t.target}, ${n}x): ${message}`);
  const failures = tallies.flatMap((t) => t.failures);
  const bySignature = new Map<string, Failure[]>();
  for (const f of failures) bySignature.set(signature(f), [...(bySignature.get(signature(f)) ?? []), f]);
  for (const [sig, same] of bySignature) console.log(`failed ${same.length}x (inputs ${same.map((f) => f.index).join(', ')}): ${sig}`);
  for (const f of failures) {
    console.log(`\n${f.target} input ${f.index}: ${f.outcome.verdict} (${f.outcome.ms.toFixed(0)} ms${f.outcome.rssMb ? `, ${f.outcome.rssMb.toFixed(0)} MB` : ''})\n${f.outcome.detail ?? ''}`);
    console.log(`saved in ${path.relative(process.cwd(), f.saved ?? '')}; replay:\n  ${f.replay.join('\n  ')}`);
  }
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = options();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
    return;
  }
  const plan = TARGETS.filter((t) => opts.runs[t] > 0).map((t) => `${t} ${opts.runs[t]}`);
  console.log(`fuzz: seed ${opts.seed}, inputs from ${opts.first}: ${plan.join(', ')} (replay with --seed ${opts.seed})`);
  const start = performance.now();
  const tallies = await runCampaign({ ...opts, log: (line) => console.log(line) });
  report(tallies, opts.seed);
  const failures = tallies.reduce((sum, t) => sum + failed(t), 0);
  console.log(`\n${tallies.reduce((sum, t) => sum + t.runs, 0)} inputs in ${seconds(performance.now() - start)}, ${failures} failed`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
