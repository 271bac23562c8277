// The compile check's cost against its baseline, measured in the same run: compiling the
// touched objects twice with kbuild (`make obj.o`, the .o removed first, as the check does).
// On patches of the truth sample (test/fixtures/truth/), in the tree the build tier prepares
// (.cache/build/: linux-source-6.1 6.1.170-3 and Debian's .config from ../shared). Per object:
// the baseline, the check with its original object compiled (cold), and the check with the
// original kept from an earlier check (warm), as ratios to the baseline.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../server/src/common/packageRoot';
import { CompileChecker } from '../server/src/compiler/compileCheck';
import { preparedTree } from '../server/src/compiler/kernelTree';
import { missingBuildTools, runProgram } from '../server/src/compiler/processes';
import { readKernelFile } from '../server/src/kernel/compressed';
import { linuxSourceTree } from '../tools/src/debianData';

const ROOT = packageRoot();
const CACHE = path.join(ROOT, '.cache', 'build');
const TRUTH = path.join(ROOT, 'test', 'fixtures', 'truth', 'debian-6.1.170-3-to-6.1.176-1');
const CONFIG = path.resolve(ROOT, '..', 'shared', 'kernel', 'debian-6.1.0-56-amd64', 'config.xz');
const PATCHES = Number(process.env.KLP_BENCH_PATCHES) || 6;

async function main(): Promise<void> {
  const missing = missingBuildTools();
  if (missing || !existsSync(CONFIG)) {
    console.log(`compile check: skipped (${missing ?? `${CONFIG} is absent`})`);
    return;
  }
  const log = (line: string) => console.log(`compile check: ${line}`);
  const source = await linuxSourceTree('6.1', '6.1.170-3', CACHE, log);
  const configText = (await readKernelFile(CONFIG)).toString('utf8');
  const cacheDir = path.join(CACHE, 'klp-lens');
  const tree = await preparedTree(source, configText, cacheDir, log);
  if ('error' in tree) throw new Error(tree.error);
  const patches = readdirSync(TRUTH).filter((f) => f.endsWith('.patch')).sort().slice(0, PATCHES);
  const checker = new CompileChecker({ source, configText, cacheDir });
  console.log('object\tcompile twice (s)\tcheck cold\tcheck warm');
  let base = 0;
  let cold = 0;
  let warm = 0;
  for (const name of patches) {
    const file = path.join(TRUTH, name);
    const text = readFileSync(file, 'utf8');
    const objects = (JSON.parse(readFileSync(file.replace(/\.patch$/, '.json'), 'utf8')) as { objects: { object: string }[] }).objects.map((o) => o.object);
    const baseline = await compileTwice(tree.dir, objects);
    for (const o of objects) rmSync(path.join(tree.originals, o), { force: true });
    const coldRun = await checker.check(file, text);
    const warmRun = await checker.check(file, text);
    base += baseline;
    cold += coldRun.seconds;
    warm += warmRun.seconds;
    console.log(`${objects.join(' ')}\t${baseline.toFixed(1)}\t${(coldRun.seconds / baseline).toFixed(2)}×\t${(warmRun.seconds / baseline).toFixed(2)}×`);
  }
  console.log(`all ${patches.length} patches\t${base.toFixed(1)}\t${(cold / base).toFixed(2)}×\t${(warm / base).toFixed(2)}×`);
}

/** Seconds to compile the objects twice, each time from scratch, as kbuild does for a user. */
async function compileTwice(dir: string, objects: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < 2; i++) {
    for (const o of objects) rmSync(path.join(dir, o), { force: true });
    await runProgram('make', ['-s', 'KCFLAGS=-ffunction-sections -fdata-sections', ...objects], { cwd: dir });
  }
  return (performance.now() - start) / 1000;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
