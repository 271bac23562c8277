// `npm run soak -- [--edits N] [--lines L] [--seed S]`: the language server under a long
// session, as an author's afternoon in the editor: a generated patch of 5,000 lines (bench's
// generator) opened with Debian 6.1's kernel as klpLens.kernel.buildDir (the small test kernel
// when ../shared is absent), then 10,000 keystrokes, each an incremental change of one added
// line followed by the diagnostics pull VS Code sends (naming the last resultId). Counts the
// errors (a failed or refused pull, an error in the server's log, the server gone), the p50/p95
// latency from change to report, and the server's RSS after edit 1,000 and after the last
// edit: the bar is the last within 10% of the first. RSS swings with the collector's timing, so
// each is also given as its floor over the 100 edits up to it (what the heap keeps).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TestClient } from '../../tools/src/lspClient';
import { generatePatch, random } from '../../bench/patchGenerator';
import { rssMbOf } from './bounded';
import { DEBIAN_KERNEL, ROOT } from './corpus';
import { KERNEL_DIRS } from './workspaceCase';

const SERVER = path.join(ROOT, 'dist/server.js');
/** The edit after which the server's RSS is the baseline: the heap has grown to its working size by then. */
const BASELINE_EDIT = 1000;
const RSS_GROWTH_BAR = 0.1;
const REPORT_EVERY = 1000;
const FLOOR_WINDOW = 100;
const LOG_ERROR = 1;

/** The server's pid: the child of this process that runs dist/server.js (the client forks it; vite-node has a child of its own). */
function serverPid(): number | undefined {
  try {
    const children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
    return children.map(Number).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SERVER));
  } catch {
    return undefined;
  }
}

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

async function soak(edits: number, lines: number, seed: number): Promise<boolean> {
  const kernel = existsSync(DEBIAN_KERNEL) ? DEBIAN_KERNEL : KERNEL_DIRS.small;
  const dir = mkdtempSync(path.join(tmpdir(), 'klp-soak-'));
  const client = TestClient.spawn('stdio', { server: SERVER });
  client.settings = { kernel: { buildDir: kernel } };
  try {
    const patch = generatePatch(seed, lines);
    const file = path.join(dir, 'big.patch');
    writeFileSync(file, patch.text);
    const text = patch.text.split('\n');
    // Added statements: an edit there keeps every hunk's line counts right.
    const editable = text.flatMap((l, i) => (/^\+\s+\S.*;$/.test(l) ? [i] : []));
    console.log(`soak: ${edits} edits on a ${text.length}-line patch (seed ${seed}, ${patch.files} files, ${patch.hunks} hunks), kernel ${kernel}`);

    await client.initialize([dir]);
    await client.waitFor('the kernel', () => client.kernelStatuses.at(-1)?.state === 'ready', 120_000);
    const uri = await client.open(file, 'diff');
    let resultId: string | undefined;
    const rng = random(seed);
    const latencies: number[] = [];
    const errors: string[] = [];
    /** The server's RSS after each edit (index 0: after edit 1). */
    const rss: number[] = [];
    const floor = (edit: number) => Math.min(...rss.slice(Math.max(0, edit - FLOOR_WINDOW), edit));
    const pid = serverPid();
    for (let e = 1; e <= edits; e++) {
      const at = editable[Math.floor(rng() * editable.length)]!;
      const old = text[at]!;
      text[at] = `${old.replace(/ \/\* edit \d+ \*\/$/, '')} /* edit ${e} */`;
      const start = performance.now();
      try {
        await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: old.length } }, text[at]!);
        const report = await client.pull(uri, resultId);
        resultId = report.resultId ?? resultId;
        latencies.push(performance.now() - start);
      } catch (err) {
        errors.push(`edit ${e}: ${err instanceof Error ? err.message : String(err)}`);
      }
      rss.push(rssMbOf(pid) ?? NaN);
      if (e % REPORT_EVERY === 0) console.log(`edit ${e}: p95 ${percentile(latencies, 0.95).toFixed(1)} ms, RSS ${rss[e - 1]!.toFixed(0)} MB (floor ${floor(e).toFixed(0)}), ${errors.length} errors`);
    }
    const logged = client.logs.filter((l) => l.type === LOG_ERROR).map((l) => `server log: ${l.message.split('\n')[0]}`);
    errors.push(...logged, ...(client.stderr.trim() ? [`server stderr: ${client.stderr.trim().split('\n')[0]}`] : []));
    await client.stop();

    const first = Math.min(BASELINE_EDIT, edits);
    const growth = (rss[edits - 1]! - rss[first - 1]!) / rss[first - 1]!;
    const floorGrowth = (floor(edits) - floor(first)) / floor(first);
    console.log(`\n${edits} edits: ${errors.length} errors; diagnostics pull p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    const percent = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)}%`;
    console.log(`server RSS after edit ${first}: ${mb(rss[first - 1]!)}, after edit ${edits}: ${mb(rss[edits - 1]!)} (${percent(growth)}; bar ${RSS_GROWTH_BAR * 100}%)`);
    console.log(`server RSS floor over the ${FLOOR_WINDOW} edits up to ${first}: ${mb(floor(first))}, up to ${edits}: ${mb(floor(edits))} (${percent(floorGrowth)})`);
    for (const error of errors.slice(0, 20)) console.log(`  ${error}`);
    return errors.length === 0 && growth <= RSS_GROWTH_BAR;
  } finally {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { edits: { type: 'string', default: '10000' }, lines: { type: 'string', default: '5000' }, seed: { type: 'string', default: '1' } } });
soak(Number(values.edits), Number(values.lines), Number(values.seed)).then(
  (met) => (process.exitCode = met ? 0 : 1),
  (err: unknown) => {
    console.error(`soak failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
