// Benchmark (not a test): how responsive the language server is on a 5,000-line patch,
// measured over stdio against the built server (dist/server.js), as an editor sees it:
//   - diagnostics: from sending a didChange (a small edit somewhere in the patch, as an
//     incremental change) to receiving the textDocument/diagnostic response for that
//     document, naming the previous resultId as VS Code does (the server answers
//     "unchanged" when the document's findings did not change); then, apart, the same for
//     a client that names none, so that every report is sent in full;
//   - hover: one request at a patched function's line, the analysis already current;
// beside the bare tree-sitter parse of the same text in this process (median of 20).
// The machine may be shared: the load average is printed, and (on Linux) the CPU time the
// server spent per edit, which the other work on the machine does not stretch as it does
// the wall time.
// The workspace: the patch, two hand-written livepatches and a patch of cdrom. The patch is
// generated (seed 1), with the small kernel of test/fixtures/cli/kernel; when ../shared is
// there, a second run concatenates real kpatch integration patches, with Debian 6.1's
// Module.symvers and kallsyms.
// Run by `npm run bench`. KLP_BENCH_PROFILE=<dir> writes the server's CPU profile there.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePatch } from '../server/src/syntax/diff';
import { findHunkFunctions } from '../server/src/syntax/hunkFunctions';
import { CParser } from '../server/src/syntax/treeSitter';
import { TestClient, uriOf } from '../tools/src/lspClient';
import { generatePatch, random } from './patchGenerator';
import { time } from './timing';

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/server.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/cli');
const KPATCH = path.resolve(ROOT, '../shared/corpus/kpatch/test/integration');
const DEBIAN = path.resolve(ROOT, '../shared/kernel/debian-6.1.0-56-amd64');

/** The kernel the server reads (relative paths: the workspace, where the small kernel is copied). */
interface BenchKernel {
  name: string;
  symvers: string;
  kallsyms: string;
}
const SMALL_KERNEL: BenchKernel = { name: 'the small test kernel', symvers: 'kernel/Module.symvers', kallsyms: 'kernel/kallsyms' };
const DEBIAN_KERNEL: BenchKernel = {
  name: "Debian 6.1's tables (24,683 exports, 94,266 kallsyms lines)",
  symvers: path.join(DEBIAN, 'Module.symvers.xz'),
  kallsyms: path.join(DEBIAN, 'kallsyms.xz'),
};
const PATCH_LINES = 5000;
const SEED = 1;
/**
 * The first edits after the first analysis are slower while V8 compiles the hot paths and
 * the heap grows to its working size (25-30 ms at worst here): they are reported apart,
 * and the goals apply to the steady state after them.
 */
const WARMUP_EDITS = 20;
const EDITS = 50;
const HOVERS_PER_EDIT = 2;
const FULL_REPORT_EDITS = 20;
const PARSES = 20;
const DIAGNOSTICS_GOAL_MS = 20;
const HOVER_GOAL_MS = 5;

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const ms = (n: number) => `${n.toFixed(2).padStart(7)} ms`;
const row = (label: string, s: Stats, parse: number) =>
  `${label.padEnd(22)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}   p95/parse ${(s.p95 / parse).toFixed(2)}`;

/** Real patches of kpatch's integration tests, whole, in path order, until PATCH_LINES lines. */
function kpatchCorpus(): string | undefined {
  if (!existsSync(KPATCH)) return undefined;
  const patches = readdirSync(KPATCH, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.patch') && !f.includes('-FAIL'))
    .sort();
  const parts: string[] = [];
  let lines = 0;
  for (const patch of patches) {
    if (lines >= PATCH_LINES) break;
    const text = readFileSync(path.join(KPATCH, patch), 'utf8').replace(/\n?$/, '\n');
    parts.push(text);
    lines += text.split('\n').length - 1;
  }
  return parts.join('');
}

/** The lines (0-based) of the patched functions: where each changed function's first change is. */
function patchedFunctionLines(text: string): number[] {
  const diff = findHunkFunctions(parsePatch(text, 'bench.patch'));
  const lines = diff.files.flatMap((f) => f.hunks.flatMap((h) => h.functions.filter((fn) => fn.changed && !fn.isNew).map((fn) => fn.location.range.start.line)));
  return [...new Set(lines)];
}

/** The lines an edit may touch: added statements, so that the hunks' line counts stay right. */
function editableLines(lines: string[]): number[] {
  return lines.flatMap((l, i) => (/^\+\s+\S.*;$/.test(l) ? [i] : []));
}

/** The CPU time (user and system, ms) the server has used so far: /proc/<pid>/stat on Linux, else undefined. */
function serverCpuMs(): number | undefined {
  try {
    const [pid] = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
    // The fields after the command (which may hold blanks) in parentheses; utime and stime are the 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
/** USER_HZ, 100 on every Linux that matters. */
const TICKS_PER_SECOND = 100;

function bareParse(parser: CParser, text: string): number {
  return time(() => parser.withTree(text, () => undefined), { warmup: 1, runs: PARSES }).median;
}

async function run(label: string, text: string, parser: CParser, kernel: BenchKernel): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-bench-lsp-'));
  const nodeArgs = process.env.KLP_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.KLP_BENCH_PROFILE)}`] : [];
  const client = TestClient.spawn('stdio', { server: SERVER, nodeArgs });
  client.settings = { kernel: { symvers: kernel.symvers, kallsyms: kernel.kallsyms } };
  try {
    cpSync(path.join(FIXTURES, 'kernel'), path.join(dir, 'kernel'), { recursive: true });
    for (const f of ['series/lpa.c', 'series/lpb.c', 'cdrom/cdrom-media-changed.patch']) cpSync(path.join(FIXTURES, f), path.join(dir, path.basename(f)));
    const file = path.join(dir, 'big.patch');
    writeFileSync(file, text);
    const uri = uriOf(file);
    const lines = text.split('\n');
    /** The last report's resultId, as VS Code keeps it for the next pull. */
    let resultId: string | undefined;
    /** The diagnostics of the patch, naming the last resultId as VS Code does (`fresh`: as a client that kept none). */
    const pull = async (fresh = false) => {
      const report = await client.pull(uri, fresh ? undefined : resultId);
      resultId = report.resultId ?? resultId;
      return report;
    };

    await client.initialize([dir]);
    await client.waitFor('the kernel', () => client.kernelStatuses.at(-1)?.state === 'ready');
    await client.open(file, 'diff');
    const firstStart = performance.now();
    const first = await pull();
    const firstMs = performance.now() - firstStart;

    const rng = random(SEED);
    const editable = editableLines(lines);
    const hoverLines = patchedFunctionLines(text);
    const diagnostics: number[] = [];
    const fullReports: number[] = [];
    const warmup: number[] = [];
    const hovers: number[] = [];
    let unchanged = 0;
    let cpu: number | undefined = 0;
    let hovered = 0;
    /** One keystroke's worth: a comment at the end of an added statement, sent as VS Code sends it; the time until its diagnostics. */
    const edit = async (e: number, fresh: boolean) => {
      const at = editable[Math.floor(rng() * editable.length)];
      const old = lines[at];
      lines[at] = `${old.replace(/ \/\* edit \d+ \*\/$/, '')} /* edit ${e} */`;
      const start = performance.now();
      // As VS Code sends a keystroke: the line's old text replaced, an incremental change.
      await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: old.length } }, lines[at]);
      const report = await pull(fresh);
      return { elapsed: performance.now() - start, report };
    };
    for (let e = 0; e < WARMUP_EDITS + EDITS; e++) {
      const cpuBefore = serverCpuMs();
      const { elapsed, report } = await edit(e, false);
      const cpuAfter = serverCpuMs();
      if (e < WARMUP_EDITS) {
        warmup.push(elapsed);
        continue;
      }
      diagnostics.push(elapsed);
      if (report.kind === 'unchanged') unchanged++;
      cpu = cpu !== undefined && cpuBefore !== undefined && cpuAfter !== undefined ? cpu + cpuAfter - cpuBefore : undefined;
      for (let h = 0; h < HOVERS_PER_EDIT; h++) {
        const line = hoverLines[Math.floor(rng() * hoverLines.length)];
        const hoverStart = performance.now();
        const answer = await client.hover(uri, { line, character: 0 });
        hovers.push(performance.now() - hoverStart);
        if (answer) hovered++;
      }
    }
    // The same edits for a client that keeps no resultId: every report is sent in full.
    for (let e = 0; e < FULL_REPORT_EDITS; e++) fullReports.push((await edit(WARMUP_EDITS + EDITS + e, true)).elapsed);
    await client.stop();

    const parse = bareParse(parser, text);
    const d = stats(diagnostics);
    const h = stats(hovers);
    const items = first.kind === 'full' ? first.items.length : 0;
    console.log(`\n${label}: ${lines.length - (lines.at(-1) === '' ? 1 : 0)} lines, ${hoverLines.length} patched-function lines, ${items} diagnostics; first analysis ${firstMs.toFixed(1)} ms`);
    console.log(`kernel: ${kernel.name}`);
    console.log(`bare tree-sitter parse  median ${ms(parse)} (of ${PARSES}, in-process)`);
    console.log(row(`  warm-up (${WARMUP_EDITS} edits)`, stats(warmup), parse));
    console.log(row(`diagnostics (${EDITS} edits)`, d, parse) + `   ${unchanged} "unchanged"`);
    console.log(row(`  full reports (${FULL_REPORT_EDITS})`, stats(fullReports), parse));
    console.log(row(`hover (${hovers.length}, ${hovered} answered)`, h, parse));
    if (cpu !== undefined) console.log(`server CPU per edit (mean of ${EDITS}, from /proc at ${1000 / TICKS_PER_SECOND} ms steps) ${ms(cpu / EDITS)}`);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
    const verdict = (s: Stats, goal: number) => (s.p95 <= goal ? 'met' : 'missed');
    console.log(`goal diagnostics ${DIAGNOSTICS_GOAL_MS} ms p95: ${verdict(d, DIAGNOSTICS_GOAL_MS)}; goal hover ${HOVER_GOAL_MS} ms p95: ${verdict(h, HOVER_GOAL_MS)}`);
  } finally {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build`);
  const parser = await CParser.create();
  console.log(`lsp bench: over stdio, ${WARMUP_EDITS} warm-up edits then ${EDITS} edits, ${HOVERS_PER_EDIT} hovers after each`);
  const generated = generatePatch(SEED, PATCH_LINES);
  await run(`generated patch (seed ${SEED}, ${generated.files} files, ${generated.hunks} hunks)`, generated.text, parser, SMALL_KERNEL);
  const corpus = kpatchCorpus();
  if (corpus === undefined) console.log(`\nkpatch corpus run skipped: ${KPATCH} is absent`);
  else await run('kpatch integration patches, concatenated', corpus, parser, existsSync(DEBIAN) ? DEBIAN_KERNEL : SMALL_KERNEL);
}

main().catch((err: unknown) => {
  console.error(`lsp bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
