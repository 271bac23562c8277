// Benchmark (not a test): how fast the kernel readers index the real Debian 6.1 artifacts,
// against command-line baselines measured in the same run on the same decompressed files:
//   - Module.symvers + kallsyms indexed in-process, against `wc -l` over the two files;
//   - the symbols of the nine .ko read in-process, against `readelf -sW` over the nine.
// Run by `npm run bench`. Times are medians of several runs (and the fastest run, which
// says more on a busy machine); ratios compare medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readKernelFile } from '../server/src/kernel/compressed';
import { parseKallsyms } from '../server/src/kernel/kallsyms';
import { moduleFromBytes } from '../server/src/kernel/modinfo';
import { parseSymvers } from '../server/src/kernel/symvers';
import { time, type Timing } from './timing';

const DEBIAN = path.resolve(process.cwd(), '../shared/kernel/debian-6.1.0-56-amd64');
const MODULES = [
  'net/bluetooth/bluetooth.ko.xz',
  'drivers/cdrom/cdrom.ko.xz',
  'net/ipv4/netfilter/ip_tables.ko.xz',
  'fs/isofs/isofs.ko.xz',
  'drivers/input/joydev.ko.xz',
  'net/netfilter/nf_tables.ko.xz',
  'drivers/scsi/sr_mod.ko.xz',
  'net/vmw_vsock/vmw_vsock_vmci_transport.ko.xz',
  'net/netfilter/x_tables.ko.xz',
];
const WARMUP = 3;
const RUNS = 31;

/** Times a function over RUNS runs after WARMUP untimed ones. */
const timed = (run: () => void): Timing => time(run, { warmup: WARMUP, runs: RUNS });

function command(program: string, args: string[]): () => void {
  return () => {
    const result = spawnSync(program, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${program} failed: ${result.error?.message ?? `exit ${result.status}`}`);
  };
}

const ms = (t: Timing) => `${t.median.toFixed(1).padStart(6)} ms (min ${t.min.toFixed(1).padStart(5)})`;

function line(label: string, ours: Timing, baselineLabel: string, baseline: Timing): string {
  return `${label.padEnd(38)} ${ms(ours)}   ${baselineLabel.padEnd(24)} ${ms(baseline)}   ratio ${(ours.median / baseline.median).toFixed(2)}`;
}

async function main(): Promise<void> {
  if (!existsSync(DEBIAN)) {
    console.log(`kernel-index bench skipped: ${DEBIAN} is absent`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-bench-'));
  try {
    const symvers = path.join(dir, 'Module.symvers');
    const kallsyms = path.join(dir, 'kallsyms');
    writeFileSync(symvers, await readKernelFile(path.join(DEBIAN, 'Module.symvers.xz')));
    writeFileSync(kallsyms, await readKernelFile(path.join(DEBIAN, 'kallsyms.xz')));
    const modules: string[] = [];
    for (const module of MODULES) {
      const file = path.join(dir, path.basename(module, '.xz'));
      writeFileSync(file, await readKernelFile(path.join(DEBIAN, 'modules', module)));
      modules.push(file);
    }

    let exports = 0;
    let vmlinux = 0;
    const index = timed(() => {
      exports = parseSymvers(readFileSync(symvers, 'utf8'), symvers).exports.size;
      vmlinux = parseKallsyms(readFileSync(kallsyms, 'utf8'), kallsyms, 'kallsyms').vmlinux.count;
    });
    const wc = timed(command('wc', ['-l', symvers, kallsyms]));

    let walked = 0;
    const ko = timed(() => {
      walked = 0;
      for (const file of modules) walked += moduleFromBytes(readFileSync(file), file).symbols?.count ?? 0;
    });
    const readelf = timed(command('readelf', ['-sW', ...modules]));

    console.log(`kernel-index bench: Debian 6.1.0-56-amd64, median of ${RUNS} runs after ${WARMUP} warm-up runs`);
    console.log(line(`index symvers+kallsyms (${exports}+${vmlinux})`, index, 'wc -l (same files)', wc));
    console.log(line(`symbols of 9 .ko (${walked} walked)`, ko, 'readelf -sW (same .ko)', readelf));
    console.log(`.ko symbols goal: <= 0.5x readelf -sW (${(ko.median / readelf.median).toFixed(2)}x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`kernel-index bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
