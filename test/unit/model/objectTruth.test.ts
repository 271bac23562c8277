// `klp-lens object` against Debian's real build of 6.1.0-56-amd64: the object each source file
// went into, from the DWARF of its debug package (scripts/object-truth.mjs).
//
// The committed sample (test/fixtures/objects/debian-6.1.0-56-amd64.tsv) is checked on the
// corpus's partial tree (../shared). The full run needs Debian's packages, unpacked:
//
//   apt-get download linux-source-6.1=6.1.192-2 linux-image-6.1.0-56-amd64-dbg linux-image-6.1.0-56-amd64-unsigned
//   dpkg -x linux-source-6.1_*.deb src && tar -C src -xJf src/usr/src/linux-source-6.1.tar.xz
//   dpkg -x linux-image-6.1.0-56-amd64-dbg_*.deb dbg && node scripts/object-truth.mjs dbg > object-truth.tsv
//   dpkg -x linux-image-6.1.0-56-amd64-unsigned_*.deb unsigned
//   KLP_OBJECT_TRUTH=object-truth.tsv KLP_LINUX_SOURCE=src/linux-source-6.1 \
//   KLP_KERNEL_MODULES=unsigned/lib/modules/6.1.0-56-amd64 npx vitest run test/unit/model/objectTruth.test.ts
//
// and prints right / wrong / unknown with the source tree and without it (the artifacts alone:
// ../shared's Module.symvers, kallsyms, module lists and .config, and all 4,023 .ko).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Memo } from '../../../server/src/common/memo';
import { loadKernelContext } from '../../../server/src/kernel/context';
import { createKbuildResolver } from '../../../server/src/kernel/kbuild';
import type { KernelContext } from '../../../server/src/kernel/types';
import { definedInFile, objectOf } from '../../../server/src/model/objectOfFile';
import { fixturePath } from '../../helpers/fixtures';
import { DEBIAN_KERNEL, describeShared, sharedPath } from '../../helpers/shared';
import { includedTruth, parseTruth, percent, readTree, score, treeSources, type Truth } from './objectTruth';

/** The object of each file as `klp-lens object` answers it: kbuild when `tree` is given, else the artifacts, reading the file from `sources`. */
function answers(kernel: KernelContext, sources: string, tree?: string) {
  const memo = new Memo();
  const read = readTree(sources);
  const withTree: KernelContext = tree ? { ...kernel, sourceDir: tree, kbuild: createKbuildResolver(tree, kernel.config) } : kernel;
  return (file: string) => objectOf(memo, withTree, file, () => definedInFile(file, read(file) ?? ''));
}

describeShared("klp-lens object on the corpus's partial tree, against Debian's build", () => {
  const corpus = sharedPath('corpus/linux-6.1');
  let kernel: KernelContext;
  let truth: Truth;

  beforeAll(async () => {
    kernel = await loadKernelContext({ kernel: DEBIAN_KERNEL });
    truth = parseTruth(readFileSync(fixturePath('objects', 'debian-6.1.0-56-amd64.tsv'), 'utf8'));
  });

  it('with the source tree: right or unknown, never wrong', () => {
    const s = score(truth, answers(kernel, corpus, corpus));
    expect(s.misses.filter((m) => m.startsWith('WRONG'))).toEqual([]);
    expect(s).toMatchObject({ files: 334, right: 334, wrong: 0 });
  });

  it('from the artifacts alone (with nine of the .ko files): right or unknown, never wrong', () => {
    const present = [...truth].filter(([file]) => existsSync(path.join(corpus, file)));
    const s = score(present, answers(kernel, corpus));
    expect(s.misses.filter((m) => m.startsWith('WRONG'))).toEqual([]);
    expect(s).toMatchObject({ files: 35, right: 35, wrong: 0 });
  });
});

const FULL = ['KLP_OBJECT_TRUTH', 'KLP_LINUX_SOURCE', 'KLP_KERNEL_MODULES'].map((v) => process.env[v]);
const describeFull = FULL.every(Boolean) ? describe : describe.skip;
if (!FULL.every(Boolean)) console.warn('[klp-lens tests] KLP_OBJECT_TRUTH, KLP_LINUX_SOURCE and KLP_KERNEL_MODULES unset: the full object measurement is skipped');

describeFull("klp-lens object on all of linux-source-6.1, against Debian's build (the full run)", () => {
  const [truthFile, tree, modules] = FULL as string[];
  let kernel: KernelContext;
  let built: Truth;
  let included: Truth;
  let notBuilt: string[];

  beforeAll(async () => {
    kernel = await loadKernelContext({ kernel: DEBIAN_KERNEL, modules });
    const read = readTree(tree);
    built = parseTruth(readFileSync(truthFile, 'utf8'), (file) => existsSync(path.join(tree, file)));
    included = includedTruth(built, read);
    const tops = ['arch/x86', 'block', 'certs', 'crypto', 'drivers', 'fs', 'init', 'io_uring', 'ipc', 'kernel', 'lib', 'mm', 'net', 'security', 'sound', 'virt'];
    notBuilt = treeSources(tree, tops).filter((f) => !built.has(f) && !included.has(f));
  }, 120_000);

  const report = (what: string, s: ReturnType<typeof score>) => console.log(`${what}: ${percent(s)}\n  ${s.misses.slice(0, 40).join('\n  ')}`);

  it('with the source tree: ≥ 99% right, 0 wrong', () => {
    const resolve = answers(kernel, tree, tree);
    const s = score([...built, ...included], resolve);
    report('with the source tree, built files (and .c files #included by them)', s);
    report('with the source tree, files built into nothing', score(notBuilt.map((f) => [f, undefined]), resolve, 0));
    expect(s.wrong).toBe(0);
    expect(s.right / s.files).toBeGreaterThanOrEqual(0.99);
  }, 600_000);

  it('from the artifacts alone: ≥ 95% right, 0 wrong', () => {
    const resolve = answers(kernel, tree);
    const s = score([...built, ...included], resolve);
    report('without a source tree, built files (and .c files #included by them)', s);
    report('without a source tree, files built into nothing', score(notBuilt.map((f) => [f, undefined]), resolve, 0));
    expect(s.wrong).toBe(0);
    expect(s.right / s.files).toBeGreaterThanOrEqual(0.95);
  }, 600_000);
});
