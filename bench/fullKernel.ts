// Benchmark (not a test): what a full distribution kernel costs against the nine-module kernel
// of ../shared, measured in the same run (issue 14, "cost follows what is asked"):
//   - `klp-lens check` of one livepatch (a module, a diff), wall time and peak RSS, with the full
//     kernel (Debian 6.1's Module.symvers, kallsyms, System.map, config and the 4,023 .ko of
//     linux-image-6.1.0-56-amd64-unsigned) with the module index already written (warm) and
//     without it (cold), as ratios to the same check against the nine modules;
//   - the language server with the full kernel: from `initialized` to the diagnostics of an open
//     livepatch read with the kernel, against `cat` of the kernel's files it needs (cold and warm
//     alike: the index stands for the .ko files, it is not one of them), and its RSS then.
// The package is fetched with apt-get download into .cache/build (ignored), once: where the build
// tier (test/build/truthData.ts) keeps the same package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexFileOf } from '../server/src/kernel/moduleIndex';
import { cacheFileOf } from '../server/src/kernel/sectionFile';
import { TestClient } from '../tools/src/lspClient';
import { kernelWithModules, unpackedDeb } from '../tools/src/debianData';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SERVER = path.join(ROOT, 'dist/server.js');
const DEBIAN = path.resolve(ROOT, '../shared/kernel/debian-6.1.0-56-amd64');
const RELEASE = '6.1.0-56-amd64';
const PACKAGE = `linux-image-${RELEASE}-unsigned`;
const ARTIFACTS = ['Module.symvers.xz', 'kallsyms.xz', 'System.map.xz', 'config.xz', 'modules.order.xz', 'modules.builtin.xz', 'modules.builtin.modinfo.xz'];
const LIVEPATCHES = ['examples/lp-cdrom.c', 'examples/proc-fix.patch'];
/** The artifacts kept parsed in the cache folder, by the kind that names their cache files. */
const CACHED = [
  ['kallsyms', 'kallsyms.xz'],
  ['symvers', 'Module.symvers.xz'],
  ['config', 'config.xz'],
  ['list-order', 'modules.order.xz'],
  ['list-builtin', 'modules.builtin.xz'],
  ['list-builtin-modinfo', 'modules.builtin.modinfo.xz'],
] as const;
const RUNS = Number(process.env.KLP_BENCH_RUNS) || 5;

interface Run {
  ms: number;
  rssMb: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const log = (line: string) => console.log(`full kernel: ${line}`);

/** `klp-lens check --kernel <kernel> <file>`, its wall time and peak RSS (the child reports it as it exits). */
function check(kernel: string, file: string, cacheHome: string, preload: string): Run {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['-r', preload, CLI, 'check', '--kernel', kernel, file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  const ms = performance.now() - start;
  const rss = /klp-bench-maxrss (\d+)/.exec(run.stderr)?.[1];
  if (!rss) throw new Error(`klp-lens check ${file} failed: ${run.stderr}`);
  return { ms, rssMb: Number(rss) / 1024 };
}

function cat(files: string[]): number {
  const start = performance.now();
  const run = spawnSync('cat', files, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 0 });
  if (run.status !== 0) throw new Error('cat failed');
  return performance.now() - start;
}

function koFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ko(\.\w+)?$/.test(f)).map((f) => path.join(dir, f));
}

async function checks(full: string, scratch: string, preload: string): Promise<void> {
  const warm = path.join(scratch, 'warm');
  for (const file of LIVEPATCHES) check(full, file, warm, preload); // writes the index once
  for (const file of LIVEPATCHES) {
    const runs: Record<'nine' | 'warm' | 'cold', Run[]> = { nine: [], warm: [], cold: [] };
    for (let i = 0; i < RUNS; i++) {
      runs.nine.push(check(DEBIAN, file, warm, preload));
      runs.warm.push(check(full, file, warm, preload));
      const cold = path.join(scratch, `cold-${i}`);
      runs.cold.push(check(full, file, cold, preload));
      rmSync(cold, { recursive: true, force: true });
    }
    const [ms, mb] = [(k: keyof typeof runs) => median(runs[k].map((r) => r.ms)), (k: keyof typeof runs) => median(runs[k].map((r) => r.rssMb))];
    log(`check ${file}, median of ${RUNS}: nine modules ${ms('nine').toFixed(0)} ms ${mb('nine').toFixed(0)} MB (baseline)`);
    for (const k of ['warm', 'cold'] as const) {
      log(`  full kernel, index ${k === 'warm' ? 'written' : 'not written'}: ${ms(k).toFixed(0)} ms ${mb(k).toFixed(0)} MB: time ${(ms(k) / ms('nine')).toFixed(2)}x, memory ${(mb(k) / mb('nine')).toFixed(2)}x (goal <= 1.2x both${k === 'cold' ? ', warm' : ''})`);
    }
  }
}

/** The server with the full kernel: from initialized to the diagnostics of lp-cdrom.c read with the kernel; its RSS then. */
async function server(full: string, cacheHome: string): Promise<Run> {
  const client = TestClient.spawn('stdio', { server: SERVER, env: { XDG_CACHE_HOME: cacheHome } });
  client.settings = { kernel: { buildDir: full } };
  try {
    await client.initialize([path.join(ROOT, 'examples')]);
    const start = performance.now();
    await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'), 120_000);
    await client.diagnostics(await client.open(path.join(ROOT, 'examples/lp-cdrom.c')));
    const ms = performance.now() - start;
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1]) / 1024;
    return { ms, rssMb: rss };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(DEBIAN)) return log(`skipped (${DEBIAN} is absent)`);
  const cache = path.join(ROOT, '.cache', 'build');
  let unpacked: string;
  try {
    unpacked = await unpackedDeb(PACKAGE, cache, log);
  } catch (err) {
    return log(`skipped (cannot fetch ${PACKAGE}: ${err instanceof Error ? err.message : String(err)})`);
  }
  const modules = path.join(unpacked, 'lib', 'modules', RELEASE, 'kernel');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'klp-bench-full-'));
  try {
    const preload = path.join(scratch, 'maxrss.cjs');
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, `\\nklp-bench-maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const full = kernelWithModules(DEBIAN, modules, path.join(scratch, 'full'));
    log(`${koFiles(modules).length} modules of ${PACKAGE}`);
    await checks(full, scratch, preload);

    const artifacts = ARTIFACTS.filter((f) => f !== 'System.map.xz').map((f) => path.join(DEBIAN, f));
    for (const state of ['cold', 'warm'] as const) {
      const home = path.join(scratch, 'server');
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        if (state === 'cold') rmSync(home, { recursive: true, force: true });
        runs.push(await server(full, home));
      }
      const indexDir = path.join(home, 'klp-lens', 'module-index');
      // The baseline: cat of the kernel's files the check needs (its artifacts and every
      // .ko, which the index stands for). Warm, what is read instead is printed beside it: the
      // parsed kallsyms, Module.symvers, .config and module lists from their caches
      // (kernel/artifactIndex.ts), the modules from their index.
      const needed = [...artifacts, ...koFiles(modules)];
      const cached = CACHED.map(([kind, file]) => cacheFileOf(indexDir, kind, path.join(full, file)));
      const read = [...artifacts.filter((f) => !CACHED.some(([, c]) => f.endsWith(`/${c}`))), ...cached, indexFileOf(indexDir, path.join(full, 'modules'))];
      const baseline = median(Array.from({ length: RUNS }, () => cat(needed)));
      const ms = median(runs.map((r) => r.ms));
      const rss = median(runs.map((r) => r.rssMb));
      const readInstead = state === 'warm' ? `; cat of the caches it read instead (${read.length} files) ${median(Array.from({ length: RUNS }, () => cat(read))).toFixed(0)} ms` : '';
      log(`language server, index ${state === 'warm' ? 'written' : 'not written'}: initialized -> diagnostics with the kernel ${ms.toFixed(0)} ms, ` +
        `cat of the kernel's files it needs (${needed.length} files) ${baseline.toFixed(0)} ms: ${(ms / baseline).toFixed(2)}x (goal <= ${state === 'cold' ? 3 : 1.5}x)${readInstead}; RSS ${rss.toFixed(0)} MB (goal <= 200 MB)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
