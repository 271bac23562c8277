// Runs a range of the core target's cases in a worker process (coreWorker.ts, through
// vite-node, so that it runs the TypeScript sources as the tests do) and holds each case to its
// bounds from outside: a case that runs too long, or takes the worker's RSS over the bound,
// gets the worker killed; a case that crashes the worker is an exception escaping (a V8 heap
// exhausted, over the memory bound). Either way a new worker goes on after that case.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { rssMbOf, type Bounds } from './bounded';
import { ROOT } from './corpus';
import type { CoreRange, WorkerMessage } from './coreWorker';
import { firstLines, type Outcome } from './outcome';

const VITE_NODE = path.join(ROOT, 'node_modules/vite-node/vite-node.mjs');
const WORKER = path.join(__dirname, 'coreWorker.ts');
/** The worker's V8 heap: Debian's kernel tables and the C parser live in it beside the case. */
const WORKER_HEAP_MB = 1024;
const POLL_MS = 20;

/** One worker over [first, end): resolves with the index to go on from (end when it ran them all). */
function runWorker(range: CoreRange, bounds: Bounds, onOutcome: (index: number, outcome: Outcome) => void): Promise<number> {
  const child: ChildProcess = fork(VITE_NODE, [WORKER], { cwd: ROOT, execArgv: [`--max-old-space-size=${WORKER_HEAP_MB}`], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
  child.stdout?.resume();
  let current: { index: number; start: number; peakRssMb: number } | undefined;
  let next = range.first;
  let killed: Outcome | undefined;
  const poll = setInterval(() => {
    if (!current || killed) return;
    const rss = rssMbOf(child.pid) ?? 0;
    current.peakRssMb = Math.max(current.peakRssMb, rss);
    const ms = performance.now() - current.start;
    if (rss > bounds.rssMb) killed = { verdict: 'over-bound', detail: `RSS ${rss.toFixed(0)} MB over the bound of ${bounds.rssMb} MB`, ms, rssMb: rss };
    else if (ms > bounds.ms) killed = { verdict: 'over-bound', detail: `still running after ${bounds.ms} ms`, ms, rssMb: current.peakRssMb };
    if (killed) child.kill('SIGKILL');
  }, POLL_MS);
  child.on('message', (message: WorkerMessage) => {
    if ('started' in message) current = { index: message.started, start: performance.now(), peakRssMb: 0 };
    if ('finished' in message) {
      const { outcome } = message;
      const rssMb = Math.max(outcome.rssMb ?? 0, current?.peakRssMb ?? 0);
      const over = outcome.ms > bounds.ms ? `took ${outcome.ms.toFixed(0)} ms, over ${bounds.ms} ms` : rssMb > bounds.rssMb ? `RSS ${rssMb.toFixed(0)} MB, over ${bounds.rssMb} MB` : undefined;
      onOutcome(message.finished, over && outcome.verdict === 'ok' ? { ...outcome, verdict: 'over-bound', detail: over, rssMb } : { ...outcome, rssMb });
      current = undefined;
      next = message.finished + 1;
    }
  });
  child.send(range);
  return new Promise((resolve, reject) =>
    child.on('close', (code, signal) => {
      clearInterval(poll);
      if (current) {
        const outOfMemory = /heap out of memory|Reached heap limit/.test(stderr);
        const crash: Outcome = killed ?? {
          verdict: outOfMemory ? 'over-bound' : 'escaped',
          detail: `the worker ended (${signal ?? `exit ${code}`}) during the case: ${firstLines(stderr.trim(), 12)}`,
          ms: performance.now() - current.start,
          rssMb: current.peakRssMb,
        };
        onOutcome(current.index, crash);
        resolve(current.index + 1);
      } else if (next < range.end && code !== 0) {
        reject(new Error(`the core worker failed before its cases (exit ${code ?? signal}): ${stderr}`));
      } else resolve(next);
    }),
  );
}

export async function runCoreRange(range: CoreRange, bounds: Bounds, onOutcome: (index: number, outcome: Outcome) => void): Promise<void> {
  for (let first = range.first; first < range.end; ) first = await runWorker({ ...range, first }, bounds, onOutcome);
}
