// The convert target: `klp-lens convert` on a corrupted module, in place or with --output. Its
// promise: a clear error (exit 1 or 2, `klp-lens: FILE: not converted: REASON` or `cannot read`)
// and the module left as it was, or a converted module that reads as ELF with the original kept
// (MODULE.ko.orig in place); never a partly written file, never a temporary file left behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseElf } from '../../server/src/kernel/elf';
import { runNode } from './bounded';
import { ROOT } from './corpus';
import { KLP_LENS, commandOutcome } from './cliTarget';
import { mutatedBytes } from './mutate';
import type { Outcome } from './outcome';
import { shellWord, type Target } from './target';

export interface ConvertCase {
  module: Uint8Array;
  output: boolean;
}

const MODULE = 'lp.ko';
const OUTPUT = 'converted.ko';
const CLEAR_ERROR = /^klp-lens: (.+: not converted: .+|cannot read .+)$/m;

const argv = (c: ConvertCase, dir: string) => ['convert', ...(c.output ? ['--output', path.join(dir, OUTPUT)] : []), path.join(dir, MODULE)];
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const readsAsElf = (file: string) => existsSync(file) && parseElf(readFileSync(file)).ok;

/** What the files say after the run, beside the exit code: the promise kept, or how it was broken. */
function brokenPromise(c: ConvertCase, dir: string, code: number, stdout: string, stderr: string): string | undefined {
  const module = path.join(dir, MODULE);
  const leftovers = readdirSync(dir).filter((f) => f.includes('klp-lens-tmp'));
  if (leftovers.length > 0) return `temporary files left: ${leftovers.join(', ')}`;
  const kept = existsSync(module) && same(readFileSync(module), c.module);
  if (code !== 0) {
    if (!CLEAR_ERROR.test(stderr)) return `exit ${code} without a clear error: ${JSON.stringify(stderr.slice(0, 300))}`;
    if (!kept) return 'the module was changed by a conversion that failed';
    if (existsSync(path.join(dir, OUTPUT))) return 'an output was written by a conversion that failed';
    return undefined;
  }
  if (/nothing to convert/.test(stdout)) return kept ? undefined : 'the module was changed although there was nothing to convert';
  if (c.output) return !kept ? 'the module was changed by a conversion to --output' : readsAsElf(path.join(dir, OUTPUT)) ? undefined : 'the output does not read as ELF';
  const original = path.join(dir, `${MODULE}.orig`);
  if (!existsSync(original) || !same(readFileSync(original), c.module)) return 'the original was not kept as .orig';
  return readsAsElf(module) ? undefined : 'the converted module does not read as ELF';
}

export const convertTarget: Target<ConvertCase> = {
  bounds: { ms: 15_000, rssMb: 1024 },
  // Mostly the object with klp symbols (the one conversion that writes), when GCC made one.
  arbitrary: (corpus) => {
    const klp = corpus.kos.filter((s) => s.name.startsWith('klp_'));
    const module = klp.length > 0 ? fc.oneof({ weight: 3, arbitrary: mutatedBytes(klp) }, { weight: 1, arbitrary: mutatedBytes(corpus.kos) }) : mutatedBytes(corpus.kos);
    return fc.record({ module, output: fc.boolean() });
  },
  async run(c): Promise<Outcome> {
    const dir = mkdtempSync(path.join(tmpdir(), 'klp-fuzz-convert-'));
    try {
      writeFileSync(path.join(dir, MODULE), c.module);
      const run = await runNode([KLP_LENS, ...argv(c, dir)], this.bounds, { cwd: dir });
      const outcome = commandOutcome(run);
      const broken = outcome.verdict === 'ok' ? brokenPromise(c, dir, run.code!, run.stdout, run.stderr) : undefined;
      return broken ? { ...outcome, verdict: 'broken-promise', detail: broken } : outcome;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  save(c, dir) {
    writeFileSync(path.join(dir, MODULE), c.module);
    return [`node ${shellWord(path.relative(ROOT, KLP_LENS))} ${argv(c, dir).map(shellWord).join(' ')}`];
  },
};
